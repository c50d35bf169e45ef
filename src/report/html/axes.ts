/**
 * Axis ticks a reader can use: round values (1, 2 or 5 times a power of ten),
 * on a linear axis from 0 or on a log axis, with short labels.
 */

/** Rounds away floating-point noise (0.30000000000000004 -> 0.3). */
const clean = (v: number): number => Number(v.toPrecision(12))

/** A step of 1, 2 or 5 times a power of ten, at least span / target. */
export function niceStep (span: number, target = 4): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1
  const raw = span / target
  const e = 10 ** Math.floor(Math.log10(raw))
  for (const f of [1, 2, 5]) if (clean(f * e) >= raw) return clean(f * e)
  return clean(10 * e)
}

/** Ticks from 0 up to the first multiple of a nice step at or above `max`. */
export function linearTicks (max: number, target = 4): number[] {
  const step = niceStep(max, target)
  const steps = Math.max(1, Math.ceil(clean(max / step)))
  return Array.from({ length: steps + 1 }, (_x, i) => clean(i * step))
}

/**
 * Ticks of a log axis covering [min, max] (both > 0): powers of ten, with 2
 * and 5 between them when the span is under three decades; the first at or
 * below `min`, the last at or above `max`.
 */
export function logTicks (min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min))
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)))
  const factors = hi - lo < 3 ? [1, 2, 5] : [1]
  const all: number[] = []
  for (let e = lo; e <= hi; e++) for (const f of factors) all.push(clean(f * 10 ** e))
  const first = Math.max(0, all.findLastIndex(v => v <= min * (1 + 1e-9)))
  const lastAt = all.findIndex(v => v >= max * (1 - 1e-9))
  const last = Math.max(first + 1, lastAt === -1 ? all.length - 1 : lastAt)
  return all.slice(first, last + 1)
}

/** A short tick label: 20k, 1.5M, 0.05, 250. */
export function tickLabel (v: number): string {
  const a = Math.abs(v)
  if (a >= 1e6) return `${clean(v / 1e6)}M`
  if (a >= 1e4) return `${clean(v / 1e3)}k`
  return String(clean(v))
}
