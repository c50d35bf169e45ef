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

/** '2 min 5 s', or '45 s'. */
export function minutes (sec: number): string {
  const s = Math.round(sec)
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`
}

/** '+0.4 ms', '-1.2 ms': a signed time to a tenth (a value that rounds to zero is +0.0). */
export function signedMs (x: number): string {
  const r = Math.round(x * 10) / 10
  return `${r >= 0 ? '+' : '-'}${Math.abs(r).toFixed(1)} ms`
}
