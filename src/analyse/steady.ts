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
