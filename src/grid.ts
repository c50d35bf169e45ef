/**
 * The runs of a plan: every (mode, workers, connections, trial), in a seeded
 * shuffled order when there is more than one run per mode, so drift does not
 * favour one mode.
 */
import { rng } from './analyse/bootstrap.js'
import type { RunPlan } from './plan.js'
import type { Mode } from './protocol.js'

/** One run of the grid: a mode, a size, a trial. */
export interface Cell { mode: Mode, workers: number, connections: number, trial: number }

/** Every cell of the plan's grid; shuffled (seeded) when there is more than one run per mode. */
export function gridCells (plan: RunPlan): Cell[] {
  const cells: Cell[] = []
  for (let trial = 1; trial <= plan.trials; trial++) {
    for (const workers of plan.sweep.workers) {
      for (const connections of plan.sweep.connections) {
        for (const mode of plan.modes) {
          // single is one process whatever --workers says: run it once per size of the other axis
          if (mode === 'single' && workers !== plan.sweep.workers[0]) continue
          cells.push({ mode, workers: mode === 'single' ? 1 : workers, connections, trial })
        }
      }
    }
  }
  return cells.length > plan.modes.length ? shuffle(cells, plan.seed) : cells
}

/** Fisher-Yates with a seeded PRNG, so an order can be repeated. */
export function shuffle<T> (xs: readonly T[], seed: number): T[] {
  const rand = rng(seed)
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}
