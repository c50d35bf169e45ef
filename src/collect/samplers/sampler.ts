/**
 * What a sampler is: something that reads the kernel's or the machine's own
 * view (host facts, accept queues, netstat counters, the cluster primary's CPU,
 * the host's speed), apart from what listeners and client report. A sampler
 * carries its own rules: the check a recorded value must pass (a result read
 * back is data), how its figures read (the report loops over the samplers),
 * and what it adds to the cell's analysis. Samplers are registered in
 * collect/samplers/index.ts.
 */
import type { Presentation } from '../../types/presentation.js'
import type { HelperCpu } from '../../types/run.js'

/**
 * What a cell's sampler looks at: the shared port, the listener processes (pids[i] serves listener i),
 * the kind's helper processes (the cluster primary), and how often a periodic sampler samples (ms; 0 = off).
 */
export interface SampleTarget {
  port: number
  pids: number[]
  helpers?: number[]
  sampleMs?: number
  /** The listener processes now (pids[i] serves listener i), where a restart replaces them during the load. */
  pidsNow?: () => number[]
  /** The CPUs the run uses (its client's and listeners' sets); absent: every CPU of the host. */
  cpus?: number[]
  /** Every other process of the run (the load generator, the groups of other modes side by side). */
  ownPids?: () => number[]
  /** What the listeners serve: absent for TCP. */
  protocol?: 'udp'
}

/** What the run adds to a group's target: the CPUs it uses, its other processes. */
export type RunSampleTarget = Pick<SampleTarget, 'cpus' | 'ownPids'>

export interface Sampler<T = unknown> {
  /** The key its figures are recorded under. */
  readonly name: string
  /** One line for --help and the report. */
  readonly description: string
  /** 'run': once, before the first cell (recorded with the result); 'cell': around each cell's measured load (recorded with the cell). */
  readonly scope: 'run' | 'cell'
  /** Begins sampling; the function it returns ends it and gives the figures (null when there is nothing to say on this host). */
  begin (target: SampleTarget): () => T | null
  /** Whether a recorded value (from a result read back, or another host) has this sampler's shape. */
  is (v: unknown): v is T
  /** A cell's figures as sentences, a chart and a table, for the terminal and the report; none: not shown. */
  present? (v: T): Presentation
  /** Listener-side CPU spent by helper processes (the cluster primary), which the cell's bottleneck counts. */
  helperCpu? (v: T): HelperCpu
}

/** A sampler's figures in a cell (or a result's run samples), typed as the sampler's own, when it has them and they pass its check: the one way code outside a sampler reads what it recorded. */
export function figuresOf<T> (s: Sampler<T>, r: { samples?: Record<string, unknown> | undefined }): T | undefined {
  const v = r.samples?.[s.name]
  return v !== undefined && s.is(v) ? v : undefined
}
