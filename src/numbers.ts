/**
 * Numbers written for people, the one way every table and sentence writes them:
 * fixed decimals (rounded as toFixed rounds), thousands separators on the whole
 * part. A leaf: the report, the samplers' presenters and the verdicts all use it.
 */

/** 12345.678 -> '12,346' (digits 0), '12,345.68' (digits 2); '-' for a missing or non-finite value. */
export function num (x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-'
  const [whole = '', frac] = Math.abs(x).toFixed(digits).split('.')
  const sign = x < 0 && Number(Math.abs(x).toFixed(digits)) !== 0 ? '-' : ''
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac === undefined ? '' : `.${frac}`}`
}

/** A share as a percentage, one decimal by default; '-' for a missing or non-finite value. */
export function percent (x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(digits)}%`
}

/** Three significant figures, with thousands separators: 1.0243 -> '1.02', 12345 -> '12,300'. */
export function sig (x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(3)).toLocaleString('en-US') : String(x)
}
