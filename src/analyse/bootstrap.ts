/**
 * Medians with bootstrap confidence intervals (percentile method), seeded so
 * an analysis can be repeated exactly.
 */
import { rng } from '../random.js'
import type { Estimate } from '../types/docs.js'

export function median (xs: readonly number[]): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2
}


/** Median of `xs` with a `level` (default 95%) bootstrap interval from `resamples` resamples. */
export function bootstrapMedian (xs: readonly number[], resamples = 5000, level = 0.95, seed = 1): Estimate {
  const n = xs.length
  const m = median(xs)
  if (n < 2) return { median: m, lo: m, hi: m, n }
  const rand = rng(seed)
  const stats = new Float64Array(resamples)
  const sample = new Array<number>(n)
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = xs[Math.floor(rand() * n)] ?? 0
    stats[b] = median(sample)
  }
  stats.sort()
  const lo = stats[Math.floor(((1 - level) / 2) * resamples)] ?? m
  const hi = stats[Math.min(resamples - 1, Math.ceil(((1 + level) / 2) * resamples) - 1)] ?? m
  return { median: m, lo, hi, n }
}

/** Trials from which a bootstrap interval of the median is worth giving; below, the min-max range says more honestly how far they spread. */
export const BOOTSTRAP_FROM = 10

/** The median of `xs` with the interval their number supports (see Estimate). */
export function estimateMedian (xs: readonly number[], resamples = 5000, seed = 1): Estimate {
  const m = median(xs)
  if (xs.length < 2) return { median: m, lo: m, hi: m, n: xs.length, method: 'none' }
  if (xs.length < BOOTSTRAP_FROM) return { median: m, lo: Math.min(...xs), hi: Math.max(...xs), n: xs.length, method: 'min-max' }
  return { ...bootstrapMedian(xs, resamples, 0.95, seed), method: 'bootstrap' }
}
