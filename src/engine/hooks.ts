/**
 * What the engine's runners are given besides the plan: the caller's hooks (an abort signal, every
 * event) and what one run shares across its cells (the CPU sets, the listeners' Node, the load
 * process, the host's pace). Types only, so the cell runner (run.ts) and the rounds runner
 * (rounds.ts) both read them without importing each other.
 */
import type { CellLoad } from '../load/side.js'
import type { RunEvent, SessionEvent } from '../types/events.js'
import type { NodeBinary } from '../types/plan.js'
import type { CpuSets, HostPace } from '../types/run.js'

export interface RunHooks {
  signal?: AbortSignal
  /** Every event of the run; a 'cell-done' comes as soon as a cell is complete (so a cut-short run keeps what it finished). */
  onEvent?: (e: RunEvent) => void
}

/** The engine's hooks with the session's own events as well (skipped, note, analysing). */
export interface SessionRunHooks extends Omit<RunHooks, 'onEvent'> { onEvent?: (e: RunEvent | SessionEvent) => void }

/** What one run shares across its cells. */
export interface RunShared { cpus: CpuSets, node: NodeBinary, loadgen: CellLoad, pace: HostPace }
