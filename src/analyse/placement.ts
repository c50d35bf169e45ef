/**
 * Fairness against random hashing. The kernel hashes each connection's
 * 4-tuple, so even a perfect hash spreads N connections over K listeners
 * unevenly: uniform random placement (a multinomial). Jain's index and
 * Pearson's statistic are one-to-one, Jain = N / (N + X^2) with
 * X^2 = (K/N) * sum(x^2) - N, so the distribution of X^2 under uniform
 * placement gives the expected Jain's index, its 95% range and a p-value in
 * each direction. Where N is small, the distribution is simulated (seeded,
 * so a result can be repeated exactly); where N is large, X^2 follows a
 * chi-square law with K - 1 degrees of freedom closely enough.
 */
import type { Placement } from '../types/run.js'
import { rng } from '../random.js'
import { chiSquareCdf, chiSquareQuantile } from './laws.js'
import { connectionsToResolve } from './power.js'

/** Simulated when N is at most this (the cost is N x DRAWS random numbers); chi-square above. */
export const SIMULATE_UP_TO = 500
const DRAWS = 20_000
/** Two-sided, 5%: each direction at 2.5%. */
const ALPHA_EACH_SIDE = 0.025

/** Pearson's statistic against uniform placement. */
export function pearson (counts: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0)
  const k = counts.length
  if (n === 0 || k === 0) return 0
  return (k / n) * counts.reduce((a, b) => a + b * b, 0) - n
}

/** X^2 of `draws` uniform random placements of n on k (seeded), sorted unless asked not to be. */
export function simulatePearson (n: number, k: number, draws = DRAWS, seed = 1, sorted = true): Float64Array {
  const rand = rng(seed)
  const out = new Float64Array(draws)
  const counts = new Uint32Array(k)
  for (let d = 0; d < draws; d++) {
    counts.fill(0)
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * k)
      counts[j] = (counts[j] ?? 0) + 1
    }
    let sumSq = 0
    for (let j = 0; j < k; j++) sumSq += (counts[j] ?? 0) ** 2
    out[d] = (k / n) * sumSq - n
  }
  return sorted ? out.sort() : out
}

const quantileOf = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))] ?? 0
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits

/** The law of X^2 for n on k: its CDF and quantiles, from a simulation or chi-square. */
function lawOf (n: number, k: number, seed: number): { method: Placement['method'], cdfBelow: (x: number) => number, cdfAbove: (x: number) => number, quantile: (p: number) => number, meanJain: () => number } {
  if (n <= SIMULATE_UP_TO) {
    const xs = simulatePearson(n, k, DRAWS, seed)
    return {
      method: 'simulation',
      cdfBelow: x => tail(xs, x, false),
      cdfAbove: x => tail(xs, x, true),
      quantile: p => quantileOf(xs, p),
      meanJain: () => xs.reduce((a, x) => a + n / (n + x), 0) / xs.length
    }
  }
  const df = k - 1
  const steps = 400
  return {
    method: 'chi-square',
    cdfBelow: x => chiSquareCdf(x, df),
    cdfAbove: x => 1 - chiSquareCdf(x, df),
    quantile: p => chiSquareQuantile(p, df),
    // E[n / (n + X)] by the midpoint rule over the quantiles.
    meanJain: () => {
      let sum = 0
      for (let i = 0; i < steps; i++) sum += n / (n + chiSquareQuantile((i + 0.5) / steps, df))
      return sum / steps
    }
  }
}

/** Two-sided at 5%: skewed or even where random placement would be that far out at most 2.5% of the time. */
function classify (pMoreSkewed: number, pMoreEven: number): Placement['classification'] {
  if (pMoreSkewed < ALPHA_EACH_SIDE) return 'more skewed than random hashing'
  return pMoreEven < ALPHA_EACH_SIDE ? 'more even than random placement' : 'consistent with random hashing'
}

/** The chance, from simulated values, of one at least as large (or as small) as `x`; +1 so it is never 0. Values are discrete, computed in floating point: a small tolerance. */
function tail (values: Float64Array, x: number, upper: boolean): number {
  let hits = 0
  for (const v of values) if (upper ? v >= x - 1e-9 : v <= x + 1e-9) hits++
  return (hits + 1) / (values.length + 1)
}

/**
 * How `counts` (connections per listener) compare with uniform random
 * placement of the same total: the expected Jain's index and its 95% range,
 * a p-value each way, and what that makes of them.
 */
export function placementTest (counts: readonly number[], seed = 1): Placement {
  const n = counts.reduce((a, b) => a + b, 0)
  const k = counts.length
  if (k < 2 || n < 2) return { n, k, method: 'none', expectedJain: null, jainRange: null, pMoreSkewed: null, pMoreEven: null, classification: 'not applicable' }
  const law = lawOf(n, k, seed)
  const x = pearson(counts)
  const pMoreSkewed = Math.min(1, law.cdfAbove(x))
  const pMoreEven = Math.min(1, law.cdfBelow(x))
  const classification = classify(pMoreSkewed, pMoreEven)
  return {
    n,
    k,
    method: law.method,
    expectedJain: round(law.meanJain(), 4),
    jainRange: [round(n / (n + law.quantile(0.975)), 4), round(n / (n + law.quantile(0.025)), 4)],
    pMoreSkewed: round(pMoreSkewed, 4),
    pMoreEven: round(pMoreEven, 4),
    classification,
    ...resolving(classification, n, k, 1, x, Math.min(pMoreSkewed, pMoreEven))
  }
}

/** A lean is worth sizing a run for only when random placement would lean as far less often than this, either way. */
const LEANS_BELOW = 0.2

/**
 * Pearson's statistic, and when random hashing cannot be told apart, the
 * connections that would tell a lean from it (analyse/power.ts); null when
 * nothing leans (`pLean`, the smaller p-value, at LEANS_BELOW or more).
 */
function resolving (classification: Placement['classification'], n: number, k: number, trials: number, x: number, pLean: number): Pick<Placement, 'statistic' | 'connectionsToResolve'> {
  if (classification !== 'consistent with random hashing') return { statistic: round(x, 4) }
  return { statistic: round(x, 4), connectionsToResolve: pLean < LEANS_BELOW ? connectionsToResolve(n, k, trials, x) : null }
}

/**
 * Several trials of one cell taken together. Trials are independent, so their
 * Pearson statistics add up (chi-square with trials x (K - 1) degrees of
 * freedom for large N; a simulation of the sum for small N). Counts are not
 * pooled by listener index: which listener is the busy one changes from trial
 * to trial, and adding them up would hide the skew. The expected Jain's index
 * and its range are those of one trial of the median size.
 */
export function pooledPlacementTest (trials: ReadonlyArray<readonly number[]>, seed = 1): Placement {
  const total = (t: readonly number[]): number => t.reduce((a, b) => a + b, 0)
  const valid = trials.filter(t => t.length >= 2 && total(t) >= 2)
  const k = valid[0]?.length ?? 0
  if (valid.length < 2 || valid.some(t => t.length !== k)) return { ...placementTest(valid[0] ?? [], seed), trials: valid.length }
  const ns = valid.map(total).sort((a, b) => a - b)
  const nMid = ns[Math.floor(ns.length / 2)] ?? 0
  const one = placementTest([nMid, ...Array<number>(k - 1).fill(0)], seed)
  const x = valid.reduce((a, t) => a + pearson(t), 0)
  let pMoreSkewed: number
  let pMoreEven: number
  if (Math.max(...ns) <= SIMULATE_UP_TO) {
    const sums = new Float64Array(DRAWS)
    valid.forEach((t, i) => { simulatePearson(total(t), k, DRAWS, seed + i, false).forEach((v, d) => { sums[d] = (sums[d] ?? 0) + v }) })
    pMoreSkewed = tail(sums, x, true)
    pMoreEven = tail(sums, x, false)
  } else {
    const df = valid.length * (k - 1)
    pMoreEven = chiSquareCdf(x, df)
    pMoreSkewed = 1 - pMoreEven
  }
  const classification = classify(pMoreSkewed, pMoreEven)
  const { statistic: _one, connectionsToResolve: _none, ...shape } = one
  return { ...shape, pMoreSkewed: round(Math.min(1, pMoreSkewed), 4), pMoreEven: round(Math.min(1, pMoreEven), 4), classification, ...resolving(classification, nMid, k, valid.length, x, Math.min(pMoreSkewed, pMoreEven)), trials: valid.length }
}
