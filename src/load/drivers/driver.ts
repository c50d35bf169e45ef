/**
 * What a load driver is: one way to load the listeners from the load
 * generator's process (workers/loadgen.ts) and report what the client saw,
 * through the Recorder (load/recorder.ts). Drivers are registered in
 * load/drivers/index.ts.
 */
import type { LoadOptions, LoadResult } from '../../types/load.js'

export interface LoadDriver {
  /** The name --driver takes, recorded in the plan. */
  readonly name: string
  /** One line for --help and the report. */
  readonly description: string
  /** Whether it needs --rate (an open loop has no pace without one) or takes it as an option. */
  readonly rate: 'required' | 'optional'
  /** Whether it keeps --pipelining requests in flight on a connection (the others send one at a time). */
  readonly pipelining?: true
  /** What it loads: HTTP over TCP (absent), or UDP datagrams. */
  readonly protocol?: 'udp'
  /** The driver a plan with --rate and no --driver gets (one driver is). */
  readonly defaultWithRate?: true
  /** How its client.correctedLatencyMs is corrected for coordinated omission, for the result's notes. */
  readonly correctionNote: string
  /** How its figures of a load at --rate read (after the rate asked and delivered): how it paced, and what it could not send on time where it counts that. */
  rateText (client: Pick<LoadResult, 'paced'>): string
  /** Runs one load to its end (or until `o.signal`), ticking about once a second. */
  run (o: LoadOptions): Promise<LoadResult>
}
