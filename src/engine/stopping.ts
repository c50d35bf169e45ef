/**
 * When the rounds of one configuration stop. The planned rounds run (with
 * --unstable rerun, a round whose host changed within it is run again at the
 * end, at most half as many again); with a precision asked, more follow until
 * every pair's req/s ratio is resolved to it (analyse/precision.ts); a budget
 * (--max-time) ends them once no further round fits, but never before two.
 * After each round the standing of every pair is told (progress), and the
 * configuration's stop is recorded in the result.
 */
import { headline } from '../analyse/headline.js'
import { hostRunOf, roundUnstableBecause, runsForRatios } from '../analyse/hostCheck.js'
import { pairedComparisons } from '../analyse/paired.js'
import { precisionOf, resolved, roundsMore } from '../analyse/precision.js'
import { roundsOf } from '../plan/grid.js'
import { baselineMode } from '../topology/kinds/index.js'
import type { PairPrecision, PrecisionStop, StopReason } from '../types/docs.js'
import type { RunPlan } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'

/** Rounds of one configuration are never more than this, whatever the precision and budget allow. */
export const MOST_ROUNDS_PER_CONFIGURATION = 400

/** Where one configuration's rounds stand. */
export interface Rounds {
  readonly plan: RunPlan
  /** The planned rounds (the least that runs, budget allowing). */
  readonly planned: number
  /** Rounds to run so far: the planned, and the reruns added. */
  last: number
  reruns: number
  /** When this configuration began (its groups starting), and when its share of the budget ends (Infinity: no budget), ms since the epoch. */
  readonly startedAt: number
  readonly endsAt: number
  /** Each finished round's wall time, ms. */
  readonly roundMs: number[]
  standing: PairPrecision[]
}

/** One configuration's rounds, given its share of the run's budget (`endsAt`). */
export function roundsFor (plan: RunPlan, startedAt: number, endsAt: number): Rounds {
  const planned = roundsOf(plan)
  return { plan, planned, last: planned, reruns: 0, startedAt, endsAt, roundMs: [], standing: [] }
}

/** Each pair's standing over the configuration's rounds that held still (all of them where none did). */
export function standingOf (plan: RunPlan, runs: readonly ModeRun[], precision: number): PairPrecision[] {
  const { kept } = runsForRatios(runs.map(hostRunOf), plan.unstable === 'keep')
  return precisionOf(pairedComparisons(kept.map(h => headline(h.run)), baselineMode(), plan.modes), precision)
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

/** Milliseconds the next round is expected to take (the mean of those so far). */
export const roundMsOf = (r: Rounds): number => mean(r.roundMs)

/** Whether another round fits in the budget (the first two always run). */
function fits (r: Rounds, round: number, now: number): boolean {
  return round < 2 || now + roundMsOf(r) <= r.endsAt
}

/**
 * After round `round` (`runs`: this configuration's so far, `thisRound`: the round's own): whether another
 * follows, or why the rounds stop.
 */
export function afterRound (r: Rounds, round: number, runs: readonly ModeRun[], thisRound: readonly ModeRun[], tookMs: number, now = Date.now()): StopReason | 'go' {
  const { plan } = r
  r.roundMs.push(tookMs)
  const changed = roundUnstableBecause(thisRound.map(hostRunOf)).length > 0
  if (changed && plan.unstable === 'rerun' && round <= r.planned && r.reruns < Math.ceil(r.planned / 2)) {
    r.reruns++
    r.last++
  }
  const precision = plan.precision ?? null
  if (precision !== null) r.standing = standingOf(plan, runs, precision)
  if (round >= MOST_ROUNDS_PER_CONFIGURATION) return 'rounds'
  if (round < r.last) return fits(r, round, now) ? 'go' : 'budget'
  if (precision === null) return 'rounds'
  if (resolved(r.standing)) return 'resolved'
  return fits(r, round, now) ? 'go' : 'budget'
}

/** The configuration's record once its rounds stopped. */
export function stopOf (r: Rounds, workers: number, connections: number, reason: StopReason, rounds: number, now = Date.now()): PrecisionStop {
  const roundSec = Math.round(roundMsOf(r) / 100) / 10
  return { workers, connections, reason, rounds, seconds: Math.round((now - r.startedAt) / 100) / 10, roundSec, precision: r.plan.precision ?? null, pairs: r.standing }
}

/** About how many more rounds, and seconds, the least resolved pair needs (null when not yet known). */
export function stillNeeded (r: Rounds): { rounds: number, seconds: number } | null {
  const more = roundsMore(r.standing)
  if (more === null) return null
  return { rounds: more, seconds: Math.round(more * roundMsOf(r) / 1000) }
}
