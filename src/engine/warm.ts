/**
 * Warm until steady, not for a fixed time: short loads (ticks) against the
 * listeners until throughput over the last few agrees within a tolerance
 * (analyse/steady.ts), up to the plan's --warmup as a cap. The record says
 * how long it took and whether steady state was reached; nothing of it is
 * counted (the caller zeroes the listeners' counters after it).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { isSteady, STEADY } from '../analyse/steady.js'
import { abortable } from '../plan/deadlines.js'
import type { CellLoad } from '../load/side.js'
import type { LoadSpec } from '../types/load.js'
import type { WarmupRecord } from '../types/run.js'
import { interrupted, settle } from './cell.js'
import type { CellRun } from './cell.js'

/** One tick of warm-up load, seconds. */
export const WARM_TICK_SEC = 1

/**
 * Loads in ticks until steady or until `capSec`, each tick allowed its length plus `graceMs`; `onTick` hears each tick's throughput. A cap shorter than
 * the steady window is one load of that length (it cannot be judged steady).
 */
export async function warmUntilSteady (load: CellLoad, spec: LoadSpec, capSec: number, what: string, signal: AbortSignal, graceMs: number, onTick: (rps: number) => void = () => {}): Promise<WarmupRecord> {
  const tickSec = Math.min(WARM_TICK_SEC, capSec)
  const rps: number[] = []
  const t0 = performance.now()
  const left = (): number => capSec - (performance.now() - t0) / 1000
  let steady = false
  // The cap is wall time (each tick's connecting and reporting included); the first tick always runs.
  while (rps.length === 0 || left() > 0.05) {
    const sec = Math.max(0.05, Math.min(tickSec, left()))
    const r = await load.run({ ...spec, durationSec: sec }, { name: 'warm-up', what, deadlineMs: sec * 1000 + graceMs }, signal)
    rps.push(Math.round(r.rps))
    onTick(r.rps)
    steady = isSteady(rps)
    if (steady) break
  }
  return { seconds: Math.round((performance.now() - t0) / 10) / 100, steady, capSec, tickSec, tolerance: STEADY.tolerance, window: STEADY.window, rps }
}

/** Warm-up until steady (not counted), at most `capSec` (plan/estimate.ts warmCapSec), then the counters are zeroed. */
export async function warmUp (c: CellRun, spec: LoadSpec, capSec: number): Promise<WarmupRecord> {
  c.emit({ type: 'warm-up', at: c.at, seconds: capSec })
  const record = await warmUntilSteady(c.loadgen, spec, capSec, c.what, c.signal, c.d.shortLoadGraceMs)
  c.emit({ type: 'warmed', at: c.at, seconds: record.seconds, steady: record.steady, rps: record.rps })
  await sleep(200, undefined, { signal: c.signal })
  await settle(c)
  await abortable(c.group.request('reset', c.d.resetMs, 'reset'), c.signal, interrupted(c.signal))
  return record
}

