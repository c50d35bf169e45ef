/**
 * Steady state: throughput that has stopped climbing. Fresh listeners (and a
 * fresh client) take seconds of load to reach it on this kind of host (JIT,
 * caches, CPU frequency); a measurement that starts earlier measures the
 * warm-up. Pure: the warm-up (engine/warm.ts) asks after every tick.
 */

/** What counts as steady: the last `window` ticks each within `tolerance` of their mean. */
export interface SteadyRule { window: number, tolerance: number }

export const STEADY: SteadyRule = { window: 3, tolerance: 0.05 }

/** Whether the last `rule.window` throughputs agree within `rule.tolerance` of their mean (a mean of 0 is never steady). */
export function isSteady (rps: readonly number[], rule: SteadyRule = STEADY): boolean {
  if (rps.length < rule.window) return false
  const last = rps.slice(-rule.window)
  const mean = last.reduce((a, b) => a + b, 0) / last.length
  return mean > 0 && last.every(x => Math.abs(x / mean - 1) <= rule.tolerance)
}

/**
 * How many ticks a warm-up took to reach the level it settled at: the fewest after which every tick lies
 * within `rule.tolerance` of the mean of its last `rule.window` (at least 1; every tick when it never
 * settled). A later trial of the same mode and configuration warms this long (engine/warm.ts).
 */
export function rampTicks (rps: readonly number[], rule: SteadyRule = STEADY): number {
  if (!isSteady(rps, rule)) return Math.max(1, rps.length)
  const last = rps.slice(-rule.window)
  const level = last.reduce((a, b) => a + b, 0) / last.length
  let from = rps.length - rule.window
  while (from > 0 && Math.abs((rps[from - 1] ?? 0) / level - 1) <= rule.tolerance) from--
  return Math.max(1, from + 1)
}

/** A later trial's rule (engine/warm.ts): after the first trial's ramp, its last two ticks agree. Trials of one mode differ by more than the tolerance here, so a level is not carried over. */
export const AFTER_RAMP: SteadyRule = { window: 2, tolerance: STEADY.tolerance }
