/**
 * Types of what a load generator is asked and what it reports, at the bottom
 * of the layers: this module imports nothing of ours, so producers
 * (load/drivers/, load/recorder.ts) and readers (run, analysis, reports)
 * all depend on it and never on each other.
 */

/** Percentiles of a latency histogram (in the unit the caller scaled to). */
export interface LatencySummary {
  count: number
  mean: number
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
}

/** A load generator's heap, at most (MiB), here and on client hosts: a load that runs away fails with an out-of-memory named so, not the machine. */
export const LOAD_HEAP_MB = 2048

/** At this share of the CPU it can use, a side of a run (the client, the listeners) counts as the limit. */
export const SATURATION_SHARE = 0.9

export interface LoadOptions {
  host: string
  port: number
  connections: number
  durationSec: number
  /** A new connection every `churn` requests (autocannon reconnectRate); 0 keeps connections alive. */
  churn: number
  /** Requests in flight on one connection (HTTP/1.1 pipelining); 1 when absent: the next request after the previous response. */
  pipelining?: number
  /** Overall requests per second; 0 means as fast as possible. */
  rate: number
  /** UDP drivers: the size of each datagram, bytes. */
  datagramBytes?: number
  /** UDP at a rate: the first `flows` flows carry `share` of the datagrams between them. */
  heavy?: { flows: number, share: number }
  signal?: AbortSignal
  /** Called about once a second with the responses so far. */
  onTick?: (elapsedSec: number, responses: number) => void
}

export interface LoadResult {
  /** Requests completed (= responses): the result contract's name for it. */
  requests: number
  /** Complete responses the client received (counted by the harness, including the ones that trigger a --churn reconnect). */
  responses: number
  /** Responses autocannon itself counted: it leaves out the response that triggers each reconnect (all of them with --churn 1). */
  autocannonResponses: number
  /** Requests written. */
  sent: number
  errors: number
  timeouts: number
  non2xx: number
  /** TCP connections the client established to the target port. */
  connectionsOpened: number
  durationSec: number
  rps: number
  bytes: number
  /** Client round trip, from writing the request to the whole response, in milliseconds. */
  latencyMs: LatencySummary
  /** The same histogram (microseconds), compressed base64. */
  histogram: string
  /** With --rate only: latency corrected for coordinated omission (HdrHistogram's expected-interval correction), ms. */
  correctedLatencyMs?: LatencySummary
  correctedHistogram?: string
  /**
   * The load generator's own CPU time over the run, and the share of one core it used;
   * `loopUtilization`, each client thread's event-loop utilization over the load, and `placement`, where
   * each ran (absent in older results).
   */
  cpu: { userMs: number, systemMs: number, wallMs: number, coreShare: number, saturated: boolean, loopUtilization?: number[], placement?: ThreadPlacement[] }
  /** Client latency by the listener that served the response (the x-worker header on its connection's first response): includes queueing at that listener. */
  byListener: Array<{ index: number, responses: number, latencyMs: LatencySummary, /** The histogram (us, compressed base64), for merging threads' results; absent in older results. */ histogram?: string }>
  /**
   * The paced driver only: the interval between intended sends (us), the requests the schedule
   * held, how many went out more than one interval after their time (late), and how many never went out.
   */
  paced?: { intervalUs: number, intended: number, late: number, unsent: number }
  /** UDP only: what the client saw of its flows and datagrams (load/drivers/dgram.ts). */
  udp?: ClientDatagrams
  /** Client errors by code (ECONNRESET, ECONNREFUSED, timeout ...). */
  errorCodes: Record<string, number>
  /** When each client error happened, ms from the start of the load (at most 10,000 kept). */
  errorTimesMs: number[]
}

/**
 * What a UDP client saw: datagrams still `unanswered` when the load ended (after a short wait), neither
 * answered nor lost; of its flows, how many listeners answered each (`flowListeners`, the sum over flows)
 * and how many were answered by more than one (`splitFlows`: one socket read by several processes).
 */
export interface ClientDatagrams { unanswered: number, flowListeners: number, splitFlows: number }

/** What the load process is asked to do: the load, without the parent-side hooks. */
export type LoadSpec = Omit<LoadOptions, 'signal' | 'onTick'> & {
  /** The load driver that runs it (load/drivers/index.ts). */
  driver: string
  /** Worker threads that each run the driver on their share of the connections and rate (1 = the process's own thread). */
  threads?: number
}

export interface LoadRequest { spec: LoadSpec, sourceAddresses: string[] }

/** Parent -> the load generator's process: one load at a time, its ticks as events. */
export type LoadProtocol = {
  load: { request: LoadRequest, reply: LoadResult, event: LoadTick }
}

export interface LoadTick { elapsedSec: number, responses: number }

/** Where the client runs: this namespace, or a network namespace of its own with these source addresses. */
export interface ClientPlace { netns: string, addresses: string[] }

/** Where a client thread could run (null: not pinnable here) and the CPU it last ran on (null: unknown). */
export interface ThreadPlacement { cpus: number[] | null, lastCpu: number | null }

/** Parent -> one client thread of a load split over threads (--client-threads): its share of the load, run once, with ticks as events. */
export type LoadThreadProtocol = {
  run: { request: { spec: LoadSpec, sourceAddresses: string[], /** The CPUs it pins itself to; none: left as the process is. */ cpus: number[] }, reply: LoadResult, event: LoadTick }
}
