/**
 * How much of each trial's (or slice's) connections its busiest few
 * listeners took, as the median over trials with the interval their number
 * supports, beside what uniform random placement of the same connections
 * gives (a seeded simulation). A kind may carry a published claim in these
 * terms (Node's cluster docs on SCHED_NONE: "over 70% of all connections ended
 * up in just two processes, out of a total of eight"); `busiestClaimClause`
 * sets a cell's figures against it.
 */
import { rng } from '../random.js'
import type { BusiestShare, SweepCell } from '../types/docs.js'
import { kindNamed } from '../topology/kinds/index.js'
import { estimateMedian, median } from './bootstrap.js'

/** Random placements simulated for the reference range. */
const SIMULATIONS = 2000
/** Connections placed one by one in each simulation; above, the counts' normal approximation. */
const EXACT_UP_TO = 5000

/** The share of `accepts` its `top` busiest listeners took; null with no connections. */
export function topShare (accepts: readonly number[], top: number): number | null {
  const total = accepts.reduce((a, b) => a + b, 0)
  if (total === 0) return null
  return [...accepts].sort((a, b) => b - a).slice(0, top).reduce((a, b) => a + b, 0) / total
}

/** The 2.5% and 97.5% points of the top-`top` share when `n` connections land uniformly at random on `k` listeners. */
export function randomTopShare (n: number, k: number, top: number, seed = 1): [number, number] {
  const next = rng(seed)
  const shares: number[] = []
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
  const sd = Math.sqrt(n * (1 / k) * (1 - 1 / k))
  for (let s = 0; s < SIMULATIONS; s++) {
    const counts = new Array<number>(k).fill(0)
    // Each connection placed (exact), or past EXACT_UP_TO connections each count drawn from its normal approximation.
    if (n <= EXACT_UP_TO) for (let i = 0; i < n; i++) { const j = Math.floor(next() * k); counts[j] = (counts[j] ?? 0) + 1 }
    else for (let j = 0; j < k; j++) counts[j] = Math.max(0, n / k + sd * normal())
    shares.push(topShare(counts, top) ?? 0)
  }
  shares.sort((a, b) => a - b)
  return [shares[Math.floor(0.025 * (SIMULATIONS - 1))] ?? 0, shares[Math.ceil(0.975 * (SIMULATIONS - 1))] ?? 0]
}

/** The busiest `top` listeners' share over these trials' accepts (each trial's listeners' counts); undefined with fewer than top + 1 listeners. */
export function busiestShare (trials: ReadonlyArray<readonly number[]>, top = 2, seed = 1): BusiestShare | undefined {
  const k = trials[0]?.length ?? 0
  if (k <= top) return undefined
  const shares = trials.map(t => topShare(t, top)).filter((x): x is number => x !== null)
  if (shares.length === 0) return undefined
  const n = Math.round(median(trials.map(t => t.reduce((a, b) => a + b, 0))))
  return { top, k, connections: n, share: estimateMedian(shares, 5000, seed), random: randomTopShare(n, k, top, seed) }
}

const pc = (x: number): string => `${(x * 100).toFixed(0)}%`

/** The claim published about the cell's kind's busiest listeners, set against the cell: confirmed, contradicted, or neither, with the interval; '' for a kind with no such claim. */
export function busiestClaimClause (c: Pick<SweepCell, 'mode' | 'workers' | 'busiest'>, unit: string): string {
  const claim = kindNamed(c.mode)?.claims?.busiest
  if (claim === undefined || c.busiest === undefined) return ''
  const b = c.busiest
  const e = b.share
  const interval = e.n < 2 ? `1 ${unit}, no interval` : `[${pc(e.lo)}, ${pc(e.hi)}], ${e.method === 'bootstrap' ? '95% bootstrap interval' : 'min-max'} of ${e.n} ${unit}s`
  const seen = `the busiest two of ${b.k} took ${pc(e.median)} of each ${unit}'s ${b.connections} connections (${interval}; uniform random placement gives ${pc(b.random[0])} to ${pc(b.random[1])})`
  const quote = `${claim.who}: "${claim.words}"`
  if (b.k !== claim.workers) return ` ${quote}; that is of ${claim.workers} workers, and here ${seen} (--workers ${claim.workers} tests it).`
  if (e.n >= 2 && e.lo > claim.share) return ` As ${quote}: ${seen}.`
  if (e.n >= 2 && e.hi < claim.share) return ` Unlike what ${quote}: here ${seen}.`
  return ` ${quote}; here ${seen}, which can neither confirm nor rule that out.`
}
