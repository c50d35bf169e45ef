/**
 * What a sampler is: something that reads the kernel's or the machine's own
 * view (host facts today; accept queues and netstat counters next), apart
 * from what listeners and client report. Samplers are registered in
 * collect/samplers/index.ts.
 */

/** What a cell's sampler looks at: the shared port and the listener processes. */
export interface SampleTarget { port: number, pids: number[] }

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
