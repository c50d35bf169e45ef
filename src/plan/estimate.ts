/**
 * What a plan will take, said before it starts: '9 runs (3 modes x 3 trials), about 1 min 10 s', or side by
 * side '45 slices (3 modes side by side x 15 rounds of 1 s), about 1 min 20 s'. `run` prints it; `reproduce`
 * adds its studies' up.
 */
import { gridCells, plannedRuns, roundsOf } from './grid.js'
import type { RunPlan } from '../types/plan.js'
import { minutes, num } from '../numbers.js'

/** A warm-up usually ends steady this long in (fresh listeners on this 2-vCPU VM took 5 to 11 s, a CPU hog beside them or not), capped. */
const TYPICAL_WARMUP_SEC = 8

/**
 * A later trial's warm-up (the first trial's ramp, then two ticks that agree), seconds: 4.0 and 4.1 s here
 * (2026-12-06, README-sized cells, quiet); where the first trial never became steady, a later one judges its own.
 */
const TYPICAL_RAMP_SEC = 4

/** The shortest cap on a warm-up: the steady rule needs three one-second ticks, and a few to settle. */
export const WARM_FLOOR_SEC = 6

/**
 * How long one group may warm before it is measured anyway (and the result says it was not steady): twice the
 * load it will be measured under (its rounds' slices side by side, its --duration as a cell), at least
 * WARM_FLOOR_SEC, at most --warmup. A 1-s run is not warmed for 30 s.
 */
export function warmCapSec (plan: RunPlan): number {
  const measured = plan.interleave === 'rounds' ? roundsOf(plan) * plan.sliceSec : plan.durationSec
  return Math.min(plan.warmupSec, Math.max(WARM_FLOOR_SEC, 2 * measured))
}

/** About how long the plan takes, seconds. */
export function estimateSec (plan: RunPlan): number {
  const warm = Math.min(warmCapSec(plan), TYPICAL_WARMUP_SEC)
  // Side by side, each group: about 1.5 s to start and stop, and its warm-up; each slice: its load and about 0.2 s to reset,
  // settle and read (45 slices of 1 s took 49 s here, 2026-12-06, quiet and beside a CPU hog alike).
  if (plan.interleave === 'rounds') return Math.round(gridCells({ ...plan, trials: 1 }).length * (1.5 + warm) + plannedRuns(plan) * (plan.sliceSec + 0.2))
  // Each cell: its load, the pause before it, and about 1.5 s to start and stop its processes; the first trial of each
  // mode and configuration warms until steady, a later one only as long as that one took to get there.
  const cells = gridCells(plan).length
  const firsts = gridCells({ ...plan, trials: 1 }).length
  const later = Math.min(warmCapSec(plan), TYPICAL_RAMP_SEC)
  return Math.round(cells * (plan.durationSec + plan.pauseSec + 1.5) + firsts * warm + (cells - firsts) * later)
}

/** The plan's runs and their time, in words. */
export function aheadText (plan: RunPlan): string {
  const configs = plan.sweep.workers.length * plan.sweep.connections.length
  const modes = `${plan.modes.length} mode${plan.modes.length === 1 ? '' : 's'}`
  const grid = configs > 1 ? [`${configs} configurations`] : []
  const sec = estimateSec(plan)
  if (plan.interleave === 'rounds') {
    const slices = plannedRuns(plan)
    const rounds = roundsOf(plan)
    const what = `${slices} slice${slices === 1 ? '' : 's'} (${[`${modes} side by side`, ...grid, `${rounds} round${rounds === 1 ? '' : 's'} of ${plan.sliceSec} s`].join(' x ')})`
    const budget = plan.maxTimeSec ?? null
    const precision = plan.precision ?? null
    if (precision !== null) return `at least ${what}, about ${minutes(sec)}; then rounds until every pair's req/s ratio is known within ±${num(precision * 100, 1)}% (--precision), at most ${minutes(budget ?? sec)} in all (--max-time)`
    return `${what}, about ${minutes(budget === null ? sec : Math.min(sec, budget))}${budget !== null && budget < sec ? ' (--max-time)' : ''}`
  }
  const cells = gridCells(plan).length
  const parts = [modes, ...grid, `${plan.trials} trial${plan.trials === 1 ? '' : 's'}`]
  return `${cells} run${cells === 1 ? '' : 's'} (${parts.join(' x ')}), about ${minutes(sec)}`
}
