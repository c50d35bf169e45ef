/**
 * Asking for a precision, not a duration: how far each paired ratio's 95%
 * interval reaches relative to the ratio, how many rounds would bring it to
 * the asked precision at the spread seen so far, and whether a run may stop.
 * The rule stops on the interval's width alone, never on whether it excludes
 * 1: a width that does not depend on where the ratio lies leaves the
 * interval's coverage (and so the rate of false differences) at its nominal
 * level, which analyse/simulate.ts checks. Pure.
 */
import { chiSquareQuantile, tQuantile975 } from './laws.js'
import type { PairedComparison, PairedRatio, PairPrecision } from '../types/docs.js'

/** Fewer kept rounds than this are never judged precise: a spread from a handful of pairs is itself too uncertain. */
export const MIN_ROUNDS = 12

/** More rounds than this are not worth suggesting. */
export const MOST_ROUNDS = 10_000

/** The standard deviation of the pairs' log ratios (null from fewer than two). */
export function logSpread (pairs: readonly number[]): number | null {
  const logs = pairs.filter(r => r > 0 && Number.isFinite(r)).map(Math.log)
  const n = logs.length
  if (n < 2) return null
  const mean = logs.reduce((a, b) => a + b, 0) / n
  return Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1))
}

/**
 * How far the interval reaches from the ratio, relative to it: the larger of hi/ratio - 1 and 1 - lo/ratio
 * (for a log-symmetric interval, the upper side). Null without an interval.
 */
export function halfWidth (p: PairedRatio): number | null {
  if (p.lo === null || p.hi === null || !(p.ratio > 0)) return null
  return Math.max(p.hi / p.ratio - 1, 1 - p.lo / p.ratio)
}

/** The half-width of a 95% t interval of the mean log ratio over `n` pairs at spread `sd`, relative (e^h - 1). */
export function halfWidthAt (n: number, sd: number): number {
  return n < 2 ? Infinity : Math.expm1(tQuantile975(n - 1) * sd / Math.sqrt(n))
}

/** The half-width the stopping rule reads at `n` pairs and spread `sd`: the spread taken at its upper 95% bound. */
export function stoppingWidthAt (n: number, sd: number): number {
  return n < 2 ? Infinity : halfWidthAt(n, sd * Math.sqrt((n - 1) / chiSquareQuantile(STOP_SPREAD_QUANTILE, n - 1)))
}

/**
 * The fewest pairs at which the stopping rule would hold a pair precise, were the spread to stay at `sd`
 * (at least MIN_ROUNDS; null past MOST_ROUNDS or without a spread). It reads the rule's own width, so
 * "about N more rounds" never says 0 while the run goes on.
 */
export function roundsForPrecision (sd: number | null, precision: number): number | null {
  if (sd === null || !Number.isFinite(sd) || !(precision > 0)) return null
  if (sd === 0) return MIN_ROUNDS
  // Start from the plain interval's normal approximation (the rule's width is never narrower) and walk up.
  let n = Math.max(MIN_ROUNDS, Math.floor((1.96 * sd / Math.log1p(precision)) ** 2))
  while (n <= MOST_ROUNDS && stoppingWidthAt(n, sd) > precision) n++
  return n > MOST_ROUNDS ? null : n
}

/**
 * The stopping rule's own width: the interval's half-width had the spread been its upper 95% confidence bound
 * (sd x sqrt((n-1) / chi2(0.05, n-1))). Stopping on the plain width would stop most often where the spread
 * came out small by chance, and those intervals cover too rarely: seeded A/A simulations
 * (analyse/simulate.ts) put the false-difference rate at 6 to 8% at a 5% precision with the plain width and
 * 8 rounds, and at 5 to 6% with this one and 12 (docs/figures.md).
 */
export function stoppingWidth (pairs: readonly number[]): number | null {
  const sd = logSpread(pairs)
  const n = pairs.filter(r => r > 0 && Number.isFinite(r)).length
  return sd === null || n < 2 ? null : stoppingWidthAt(n, sd)
}

/** The lower quantile of chi-square that bounds the spread from above in the stopping rule. */
export const STOP_SPREAD_QUANTILE = 0.05

/** Whether pairs with these ratios are precise enough to stop: MIN_ROUNDS at least, the stopping width within `precision`. */
export function preciseEnough (pairs: readonly number[], precision: number): boolean {
  const w = stoppingWidth(pairs)
  return pairs.length >= MIN_ROUNDS && w !== null && w <= precision
}

/** Every pair's standing; the req/s ratio is the one the precision is asked of. */
export function precisionOf (paired: readonly PairedComparison[], precision: number): PairPrecision[] {
  return paired.map(p => ({
    mode: p.mode,
    against: p.against,
    workers: p.workers,
    connections: p.connections,
    ratio: p.throughput.ratio,
    rounds: p.throughput.pairs.length,
    halfWidth: halfWidth(p.throughput),
    p99HalfWidth: halfWidth(p.p99),
    roundsNeeded: roundsForPrecision(logSpread(p.throughput.pairs), precision),
    precise: preciseEnough(p.throughput.pairs, precision)
  }))
}

/** Whether every pair is precise enough (an empty list is not). */
export function resolved (pairs: readonly PairPrecision[]): boolean {
  return pairs.length > 0 && pairs.every(p => p.precise)
}

/** The pairs the stopping rule does not yet hold precise. */
export const unresolvedPairs = (pairs: readonly PairPrecision[]): PairPrecision[] => pairs.filter(p => !p.precise)

/** How many more kept rounds the least resolved pair needs (at least to MIN_ROUNDS); null when unknown. */
export function roundsMore (pairs: readonly PairPrecision[]): number | null {
  let most = 0
  for (const p of pairs) {
    if (p.roundsNeeded === null) return null
    // Not yet precise is at least one more round, whatever the estimate from the spread so far says.
    most = Math.max(most, p.roundsNeeded - p.rounds, p.precise ? 0 : 1)
  }
  return most
}
