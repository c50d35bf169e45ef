/**
 * Every phase of a run has a deadline derived from the plan, so no phase can
 * hang a run: a listener that stops answering, a load that does not end, a
 * replacement that never listens. A phase that misses its deadline fails the
 * run naming the phase and the process (PhaseTimeoutError).
 */
import { availableParallelism } from 'node:os'
import { gridCells } from './grid.js'
import type { RunPlan } from '../types/plan.js'
import type { HostPace } from '../types/run.js'
import { startDeadlineMs } from '../topology/startDeadline.js'

export interface PhaseDeadlines {
  /** Starting the listener processes until every one listens. */
  startMs: number
  /** The warm-up load. */
  warmupMs: number
  /** Zeroing the listeners' counters. */
  resetMs: number
  /** The measured load. */
  loadMs: number
  /** Waiting for in-flight requests and collecting the listeners' figures. */
  statsMs: number
  /** Final figures and exit of every listener. */
  stopMs: number
  /** Replacing one listener in a rolling restart (the new one listens, the old one drains and exits). */
  restartMs: number
  /** How long beyond its own length a short load may take (a warm-up tick, a slice of rounds): connecting, reporting. */
  shortLoadGraceMs: number
}

/** Beyond its duration a load may take this long: starting the client, its 1 s sampling, a busy machine. */
export function loadGraceMs (durationSec: number): number {
  return 5000 + Math.round(100 * durationSec)
}

/** A first group's start may take this many times longer in a later group of the run before its deadline ends it. */
export const AFTER_FIRST_START = 4

/**
 * Each phase's deadline for `workers` listeners: `plan.deadlineScale` times the usual, times the host's measured
 * pace (proc/pace.ts); a start, at least AFTER_FIRST_START times what the run's first group took.
 */
export function phaseDeadlines (plan: Pick<RunPlan, 'durationSec' | 'warmupSec' | 'restartBusyMs' | 'deadlineScale'>, workers: number, cpus = availableParallelism(), pace?: HostPace): PhaseDeadlines {
  const k = plan.deadlineScale * (pace?.scale ?? 1)
  // Whole milliseconds: a pace of 1.3 or a first start of 2873.4 ms gives fractions, and a remote side refuses a
  // `withinMs` that is not an integer (limits.ts FIELDS.withinMs).
  const up = Math.ceil
  return {
    startMs: up(Math.max(startDeadlineMs(workers, cpus, k), AFTER_FIRST_START * (pace?.firstReadyMs ?? 0))),
    warmupMs: up(k * (Math.round(plan.warmupSec * 1000) + loadGraceMs(plan.warmupSec))),
    resetMs: up(k * 5000),
    loadMs: up(k * (Math.round(plan.durationSec * 1000) + loadGraceMs(plan.durationSec))),
    statsMs: up(k * 5000),
    stopMs: up(k * 3000),
    restartMs: up(k * (plan.restartBusyMs + 10_300 + 2000)),
    shortLoadGraceMs: up(k * 15_000)
  }
}

/** An upper bound for a whole plan run elsewhere (the deadline of a child run): every cell's phases and the pauses. */
export function planBudgetMs (plan: RunPlan): number {
  let total = 10_000
  for (const cell of gridCells(plan)) {
    const d = phaseDeadlines(plan, cell.workers)
    total += d.startMs + (plan.warmupSec > 0 ? d.warmupMs + d.resetMs + d.statsMs : 0) + d.loadMs + d.statsMs + d.stopMs
    if (plan.restart) total += d.restartMs * cell.workers
    total += plan.pauseSec * 1000
  }
  // Rounds that go on to a precision end with the budget (--max-time), whatever the plan's own length; then a minute to stop and report.
  const budget = plan.maxTimeSec ?? null
  return budget === null ? total : Math.max(total, budget * 1000 + 60_000)
}

/** `p`, or `onMiss()` as a rejection when it has not settled within `ms`. */
export function withDeadline<T> (p: Promise<T>, ms: number, onMiss: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const miss = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(onMiss()), ms) })
  return Promise.race([p, miss]).finally(() => clearTimeout(timer))
}

/** `p`, or a rejection with `onAbort()` as soon as `signal` fires. */
export function abortable<T> (p: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (signal === undefined) return p
  if (signal.aborted) return Promise.reject(onAbort())
  let off = (): void => {}
  const aborted = new Promise<never>((_resolve, reject) => {
    const on = (): void => reject(onAbort())
    signal.addEventListener('abort', on, { once: true })
    off = () => signal.removeEventListener('abort', on)
  })
  return Promise.race([p, aborted]).finally(off)
}
