/**
 * The runs of a plan: every (mode, workers, connections, trial), interleaved
 * so that drift hits every mode alike. Trials run one after another as
 * blocks; inside a trial the configurations (workers, connections) come in a
 * seeded shuffled order, and inside a configuration its modes run back to
 * back, also shuffled. A mode's trial t is then adjacent in time to the other
 * modes' trial t of the same configuration: the pairs that paired ratios use
 * (analyse/paired.ts).
 */
import { shuffle } from '../random.js'
import { listenerKind } from '../topology/kinds/index.js'
import type { Cell, RunPlan } from '../types/plan.js'

/** The cells of one trial, grouped by configuration, in grid order. */
function trialGroups (plan: RunPlan, trial: number): Cell[][] {
  const groups = new Map<string, Cell[]>()
  for (const workers of plan.sweep.workers) {
    for (const connections of plan.sweep.connections) {
      for (const mode of plan.modes) {
        // A kind with a fixed number of listeners (single) ignores --workers: run it once per size of the other axis
        const fixed = listenerKind(mode).workers
        if (fixed !== undefined && workers !== plan.sweep.workers[0]) continue
        const cell: Cell = { mode, workers: fixed ?? workers, connections, trial }
        const key = `${cell.workers}|${connections}`
        groups.set(key, [...(groups.get(key) ?? []), cell])
      }
    }
  }
  return [...groups.values()]
}

/** Every cell of the plan's grid; in the order given when there is one run per mode, else interleaved as above (seeded). */
export function gridCells (plan: RunPlan): Cell[] {
  const blocks = Array.from({ length: plan.trials }, (_x, i) => trialGroups(plan, i + 1))
  const all = blocks.flat(2)
  if (all.length <= plan.modes.length) return plan.modes.flatMap(m => all.filter(c => c.mode === m))
  return blocks.flatMap((groups, i) => {
    const trial = i + 1
    return shuffle(groups, plan.seed * 7919 + trial).flatMap((g, j) => shuffle(g, plan.seed * 104729 + trial * 101 + j))
  })
}

/** Rounds of a plan whose modes run side by side: each trial is --duration of slices per mode (at least one). */
export function roundsOf (plan: RunPlan): number {
  return plan.trials * Math.max(1, Math.round(plan.durationSec / plan.sliceSec))
}

/** How many runs (cells, or slices) the plan's grid records. */
export function plannedRuns (plan: RunPlan): number {
  const cells = gridCells({ ...plan, trials: 1 }).length
  return plan.interleave === 'rounds' ? cells * roundsOf(plan) : cells * plan.trials
}

/** What a cell's position carries of the plan's protocol: `udp` where its connections are flows and its requests datagrams. */
export function udpMark (plan: Pick<RunPlan, 'protocol'>): { udp?: true } {
  return plan.protocol === 'udp' ? { udp: true } : {}
}
