/**
 * Numbers as text, for the terminal and the sentences of the reports: '-' for what is missing.
 */

/** `digits` decimals. */
export const fixed = (x: number | null | undefined, digits = 2): string => x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits)

/** A share as a percentage with one decimal. */
export const percent = (x: number | null | undefined): string => x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`

/** A whole number with thousands separators. */
export const whole = (x: number): string => Math.round(x).toLocaleString('en-US')

/** "keep-alive", "a new connection for every request", "a new connection every 10 requests". */
export function describeChurn (churn: number): string {
  if (churn <= 0) return 'keep-alive'
  return churn === 1 ? 'a new connection for every request' : `a new connection every ${churn} requests`
}
