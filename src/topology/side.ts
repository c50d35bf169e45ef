/**
 * The listener side of a cell, as the engine (engine/run.ts) uses it: a group
 * of listener processes on this host (topology/group.ts) or on a server host
 * reached through a transport (topology/remote.ts).
 */
import type { HarnessError } from '../errors.js'
import type { RunSampleTarget, Sampler } from '../collect/samplers/sampler.js'
import type { ListenerSnapshot, StopResult } from '../types/listener.js'
import type { ReuseChoice } from '../types/run.js'

export interface CellListeners {
  readonly workers: number
  readonly port: number
  /** Final figures of listeners replaced by a rolling restart. */
  readonly retired: ListenerSnapshot[]
  /** The socket option they use, as the host that runs them decided it. */
  readonly choice: ReuseChoice
  /** Every listener's figures (stats) or zeroed counters (reset), within `timeoutMs`; `phase` names the wait in a timeout. */
  request: (op: 'stats' | 'reset', timeoutMs: number, phase?: string) => Promise<ListenerSnapshot[]>
  /** Final figures, then the listeners end; whoever has not answered within `graceMs` is named in `missing`. */
  stop: (graceMs: number) => Promise<StopResult>
  /** The processes serving here now (listeners and helpers); none when they run on another host. */
  processes?: () => number[]
  /** Ends every listener without figures. */
  kill: (graceMs?: number) => Promise<void>
  /** Called once when a listener (or the host they run on) dies while they are in use. */
  onDeath: (cb: (e: HarnessError) => void) => void
  /** Replaces listener `index` as a deploy would; resolves with how long the old one took to drain. */
  restart: (index: number, busyMs: number, timeoutMs: number) => Promise<{ drainMs: number }>
  /**
   * Begins the cell samplers where the listeners run (`samplers` where they run here, with what the run adds:
   * its CPUs, its other processes); the function returned ends them with their figures.
   */
  beginSamples: (sampleMs: number, samplers: readonly Sampler[], extra?: RunSampleTarget) => Promise<() => Promise<Record<string, unknown>>>
}
