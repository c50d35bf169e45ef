/**
 * Warm until steady, not for a fixed time: short loads (ticks) against the
 * listeners until throughput over the last few agrees within a tolerance
 * (analyse/steady.ts), up to the plan's --warmup as a cap. The record says
 * how long it took and whether steady state was reached; nothing of it is
 * counted (the caller zeroes the listeners' counters after it). Steady state
 * is judged once per mode and configuration: a later trial (fresh listeners
 * of the same kind, --interleave cells) warms as many ticks as the first one
 * took to reach its level, and on only until two ticks agree.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { AFTER_RAMP, isSteady, rampTicks, STEADY } from '../analyse/steady.js'
import type { SteadyRule } from '../analyse/steady.js'
import { abortable } from '../plan/deadlines.js'
import type { CellLoad } from '../load/side.js'
import type { LoadSpec } from '../types/load.js'
import type { WarmedBefore, WarmupRecord } from '../types/run.js'
import { interrupted, settle } from './cell.js'
import type { CellRun } from './cell.js'

/** One tick of warm-up load, seconds. */
export const WARM_TICK_SEC = 1

/** How a warm-up judges itself: the steady rule, and the ticks it runs at least (a later trial: the first one's ramp). */
interface Judged { rule: SteadyRule, atLeast: number }

/**
 * Loads in ticks until steady (at least `judged.atLeast` ticks, then the rule) or until `capSec`, each tick allowed its length
 * plus `graceMs`. A cap shorter than the steady window is one load of that length (it cannot be judged steady).
 */
async function warmInTicks (load: CellLoad, spec: LoadSpec, capSec: number, what: string, signal: AbortSignal, graceMs: number, judged: Judged): Promise<WarmupRecord> {
  const { rule, atLeast } = judged
  const tickSec = Math.min(WARM_TICK_SEC, capSec)
  const rps: number[] = []
  const t0 = performance.now()
  const left = (): number => capSec - (performance.now() - t0) / 1000
  const steady = (): boolean => rps.length >= atLeast && isSteady(rps, rule)
  // The cap is wall time (each tick's connecting and reporting included); the first tick always runs.
  while (rps.length === 0 || (left() > 0.05 && !steady())) {
    const sec = Math.max(0.05, Math.min(tickSec, left()))
    const r = await load.run({ ...spec, durationSec: sec }, { name: 'warm-up', what, deadlineMs: sec * 1000 + graceMs }, signal)
    rps.push(Math.round(r.rps))
  }
  return { seconds: Math.round((performance.now() - t0) / 10) / 100, steady: steady(), capSec, tickSec, tolerance: rule.tolerance, window: rule.window, rps }
}

/** What a later trial needs of this warm-up (null when it never became steady: a later trial then judges its own). */
export function warmedBefore (record: WarmupRecord): WarmedBefore | null {
  if (!record.steady || record.asFirst !== undefined) return null
  const last = record.rps.slice(-record.window)
  return { ticks: rampTicks(record.rps), level: Math.round(last.reduce((a, b) => a + b, 0) / last.length) }
}

/**
 * Warm-up until steady (not counted), at most `capSec` (plan/estimate.ts warmCapSec), then the counters are
 * zeroed; given `before` (the first trial's), only its ramp.
 */
export async function warmUp (c: CellRun, spec: LoadSpec, capSec: number, before: WarmedBefore | null = null): Promise<WarmupRecord> {
  c.emit({ type: 'warm-up', at: c.at, seconds: capSec, ...(before === null ? {} : { asFirst: before }) })
  // A later trial warms the first one's ramp, then until its last two ticks agree (AFTER_RAMP).
  const judged: Judged = before === null ? { rule: STEADY, atLeast: 0 } : { rule: AFTER_RAMP, atLeast: before.ticks }
  const ticked = await warmInTicks(c.loadgen, spec, capSec, c.what, c.signal, c.d.shortLoadGraceMs, judged)
  const record = before === null ? ticked : { ...ticked, asFirst: before }
  c.emit({ type: 'warmed', at: c.at, seconds: record.seconds, steady: record.steady, rps: record.rps })
  await sleep(200, undefined, { signal: c.signal })
  await settle(c)
  await abortable(c.group.request('reset', c.d.resetMs, 'reset'), c.signal, interrupted(c.signal))
  return record
}
