/**
 * The runs of a plan: every (mode, workers, connections, trial), in a seeded
 * shuffled order when there is more than one run per mode, so drift does not
 * favour one mode.
 */
import { shuffle } from '../random.js'
import { listenerKind } from '../topology/kinds/index.js'
import type { Cell, RunPlan } from '../types/plan.js'

/** Every cell of the plan's grid; shuffled (seeded) when there is more than one run per mode. */
export function gridCells (plan: RunPlan): Cell[] {
  const cells: Cell[] = []
  for (let trial = 1; trial <= plan.trials; trial++) {
    for (const workers of plan.sweep.workers) {
      for (const connections of plan.sweep.connections) {
        for (const mode of plan.modes) {
          // A kind with a fixed number of listeners (single) ignores --workers: run it once per size of the other axis
          const fixed = listenerKind(mode).workers
          if (fixed !== undefined && workers !== plan.sweep.workers[0]) continue
          cells.push({ mode, workers: fixed ?? workers, connections, trial })
        }
      }
    }
  }
  return cells.length > plan.modes.length ? shuffle(cells, plan.seed) : cells
}
