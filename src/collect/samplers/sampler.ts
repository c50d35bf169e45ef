/**
 * What a sampler is: something that reads the kernel's or the machine's own
 * view (host facts today; accept queues and netstat counters next), apart
 * from what listeners and client report. Samplers are registered in
 * collect/samplers/index.ts.
 */

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
}

export interface Sampler<T = unknown> {
  /** The key its figures are recorded under. */
  readonly name: string
  /** One line for --help and the report. */
  readonly description: string
  /** 'run': once, before the first cell (recorded with the result); 'cell': around each cell's measured load (recorded with the cell). */
  readonly scope: 'run' | 'cell'
  /** Begins sampling; the function it returns ends it and gives the figures (null when there is nothing to say on this host). */
  begin (target: SampleTarget): () => T | null
}
