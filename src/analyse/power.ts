/**
 * How much more data would settle a question the data at hand cannot: paired
 * trials for a ratio between modes, connections for a spread against random
 * hashing. Both answers assume what was seen holds (the same difference and
 * spread, the same shares); they size the next run, they do not predict it.
 */
import { chiSquareCdf, chiSquareQuantile, tQuantile975 } from './laws.js'

/** More than this is not worth suggesting. */
export const MOST_TRIALS = 1000

/**
 * The fewest paired trials whose 95% t interval of the mean would exclude 0
 * if the mean were `mean` and the spread `sd` (of one pair) as seen; null
 * when nothing differs (mean 0), nothing spreads, or it would take more than MOST_TRIALS.
 */
export function trialsToResolve (mean: number, sd: number): number | null {
  if (mean === 0 || !(sd > 0) || !Number.isFinite(mean) || !Number.isFinite(sd)) return null
  for (let m = 2; m <= MOST_TRIALS; m++) if (tQuantile975(m - 1) * sd / Math.sqrt(m) < Math.abs(mean)) return m
  return null
}

/** More connections than this per trial is not worth suggesting. */
export const MOST_CONNECTIONS = 1_000_000

/**
 * About how many connections per trial would tell a spread from random
 * hashing, given `statistic` (Pearson's, summed over `trials` trials of `n`
 * connections on `k` listeners) and assuming the spread holds: a lean to
 * skew keeps its shares, so the statistic grows with the connections; a lean
 * to evenness keeps within as many connections of even, so it shrinks. The
 * chi-square law is used for speed; where counts are small its lower tail is
 * lighter than the discrete law's, so an even lean may need up to about
 * twice as many (test/power.test.ts). Null
 * when nothing leans either way or it would take more than MOST_CONNECTIONS.
 */
export function connectionsToResolve (n: number, k: number, trials: number, statistic: number): number | null {
  const df = Math.max(1, trials) * (k - 1)
  if (k < 2 || n < 1 || !(statistic > 0) || statistic === df) return null
  const needed = statistic > df
    ? n * chiSquareQuantile(0.975, df) / statistic
    : n * statistic / chiSquareQuantile(0.025, df)
  const m = Math.max(n + 1, Math.ceil(needed))
  return m > MOST_CONNECTIONS ? null : m
}

/**
 * The chance that a skew of the size a study reports would test as more skewed than random hashing (the
 * chi-square test at its 97.5% point, as the placement test classifies), with `trials` trials of `n`
 * connections on `k` listeners. The skew: the busiest listener takes `ratio` times the least busy's
 * connections, the others' shares evenly between. Pearson's statistic then follows a noncentral chi-square
 * law, here in Patnaik's approximation (a scaled central chi-square with the same mean and variance).
 */
export function skewPower (n: number, k: number, trials: number, ratio: number): number {
  if (k < 2 || n < 1 || trials < 1 || !(ratio > 1)) return 0
  const w = Array.from({ length: k }, (_, i) => 1 + (ratio - 1) * i / (k - 1))
  const total = w.reduce((a, b) => a + b, 0)
  const lambda = trials * n * (k * w.reduce((a, x) => a + (x / total) ** 2, 0) - 1)
  const df = trials * (k - 1)
  const c = (df + 2 * lambda) / (df + lambda)
  const nu = (df + lambda) ** 2 / (df + 2 * lambda)
  return 1 - chiSquareCdf(chiSquareQuantile(0.975, df) / c, nu)
}

/** The fewest connections per trial at which skewPower reaches `power` (null past MOST_CONNECTIONS). */
export function connectionsForPower (k: number, trials: number, ratio: number, power = 0.8): number | null {
  for (let n = 2; n <= MOST_CONNECTIONS; n = Math.ceil(n * 1.25)) if (skewPower(n, k, trials, ratio) >= power) return n
  return null
}
