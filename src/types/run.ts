/**
 * What one cell of a run recorded (the run record) and its parts, at the bottom: imports only other types.
 */
import type { ListenerStats } from './listener.js'
import type { LatencySummary, LoadResult } from './load.js'
import type { EbpfPolicy, SteeringSlot } from './native.js'
import type { Mode, SteerPolicy } from './plan.js'
import type { HostsRecord } from './host.js'

export interface Fairness {
  /** Jain's fairness index: 1 is perfectly even, 1/n is everything on one process. */
  jain: number | null
  /** Busiest over least busy; null when some process got none (unbounded). */
  maxMinRatio: number | null
  /** Coefficient of variation (population standard deviation over mean). */
  cov: number | null
  /** Share of the total taken by the busiest process. */
  busiestShare: number | null
  /** Processes that got none. */
  idle: number
}

export interface Accounting {
  clientConnections: number
  listenerAccepts: number
  acceptsMatch: boolean
  clientResponses: number
  listenerRequests: number
  /** listenerRequests - clientResponses. */
  requestDifference: number
  /** Whether the difference is within what is explained: at most one request per connection (--pipelining of them) in flight when the client stopped. */
  explained: boolean
  note: string
  /** UDP only: where every datagram the client sent went (analyse/datagramAccounting.ts). */
  datagrams?: DatagramAccounting
}

/**
 * Where a UDP load's datagrams went. The client's own: every datagram `sent` was `answered`, `lost` (unanswered
 * for the driver's timeout) or `unanswered` at the end. The listeners': they `received` some; their sockets
 * dropped `drops` (a full receive buffer; each socket once, null where the kernel's table cannot say);
 * `notArrived` = sent - received - drops were neither, which only datagrams still in flight, or lost on the
 * way, explain: at most lost + unanswered. `closes` when every identity holds.
 */
export interface DatagramAccounting { sent: number, answered: number, lost: number, unanswered: number, received: number, drops: number | null, notArrived: number, closes: boolean }

/** Why a cell is set aside (ModeRun.invalid). */
export interface CellInvalid { kind: 'foreign-socket' | 'unanswered' | 'errors' | 'stalled', reason: string }

/** A listener's counts as its stats message carried them, with latency summarised and CPU in ms. */
export interface ListenerResult extends Pick<ListenerStats, 'accepts' | 'requests' | 'errors' | 'resets' | 'rssBytes' | 'histogram' | 'loopDelayMs' | 'loopUtilization' | 'peers' | 'steering' | 'udp'> {
  index: number
  pid: number
  /** The kernel's id of the thread that served it (threads mode); absent for a listener process. */
  tid?: number
  cpuMs: number
  /** Server processing time per request (request parsed to response handed to the socket), microseconds. */
  latencyUs: LatencySummary
  /** Processes that served this index before a rolling restart replaced them. */
  replacedPids?: number[]
}

export interface ReuseChoice {
  reuseport: boolean
  reuseportLb: boolean
  /** The option as people know it, for tables and reports ('SO_REUSEPORT', 'shared fd', 'cluster (round-robin)'...): each kind words its own. */
  option: string
  /** What a reader must know about this choice here; '' when nothing. */
  note: string
}

/** What a run did beyond plain load, and what that showed. */
export interface Scenario {
  workUs?: number
  stall?: { index: number, forMs: number, everyMs: number }
  /** The steering program on the group, and whether listener 0 detached it at the end ('ok', an errno name, or 'not yet' for a slice). */
  steer?: { kind: Exclude<SteerPolicy, 'none'>, detached: string, program?: SteeringRecord }
  /** The stalled listener's share of the new connections during its stalls (own sockets only); absent elsewhere. */
  stallShare?: StallShare
  restart?: {
    events: RestartEvent[]
    /** How long each old listener was kept busy before closing, ms. */
    busyMs: number
    /** From the first replacement starting to the last old listener gone, ms from the start of the load. */
    windowMs: [number, number]
    errorsInWindow: number
    errorsOutsideWindow: number
    errorCodes: Record<string, number>
    /** net.ipv4.tcp_migrate_req in the namespace the run used, when readable. */
    tcpMigrateReq: string | null
  }
}

/** An eBPF steering program's state at the end of a cell (or slice), as its listeners last read it: the map's counts since the group started, the listeners' writes during the measured load. */
export interface SteeringRecord {
  policy: EbpfPolicy
  /** Each socket's slot: connections the program sent it, of them taken (as its listener last wrote), open. */
  slots: SteeringSlot[]
  /** Times the program ran and times the chosen socket could not be selected (the kernel's hash placed those), by its own count. */
  runs: number
  fallbacks: number
  /** run_cnt and mean ns per run from bpf_prog_info; null where the kernel did not count (kernel.bpf_stats_enabled 0). */
  kernelRuns: number | null
  nsPerRun: number | null
  /** The listeners' writes to the load map during the measured load: all of them, per second, and the resyncs from the kernel's queue among them. */
  updates: number
  updatesPerSec: number
  resyncs: number
  /** The program's length in instructions (slots), and with --dump-steering the program itself, one instruction a line. */
  instructions: number
  dump?: string[]
}

/** The stalled listener's share of new connections while it stalled: pooled over stalls, with a 95% interval over them. */
export interface StallShare {
  share: number
  lo: number | null
  hi: number | null
  stalls: number
  /** Connections that queued on it during its stalls, and all new connections on the host meanwhile. */
  queued: number
  opened: number
}

export interface RestartEvent { index: number, atMs: number, drainMs: number }

export interface ModeRun {
  mode: Mode
  /** Set when the run repeats another under a different setting, e.g. 'tcp_migrate_req=1 (own netns)'. */
  variant?: string
  /** Set when the load generator ran in a network namespace of its own, across a veth link. */
  clientHost?: { clientNs: string, serverNs: string, serverAddress: string, clientAddresses: string[] }
  /** 1-based trial number of this grid cell. */
  trial: number
  scenario: Scenario
  /** The port-sharing option the listeners used, and what to know about it on this OS. */
  socketOption: ReuseChoice['option']
  socketNote: string
  workers: number
  port: number
  startedAt: string
  /** Time from starting the processes until every listener was listening. */
  readyMs: number
  /** `generator: 'external'`: a load from outside the harness (`serve`); absent: the harness's own client. */
  load: { connections: number, durationSec: number, warmupSec: number, churn: number, rate: number, generator?: 'external' }
  client: Omit<LoadResult, 'cpu'>
  loadGenerator: LoadResult['cpu']
  listeners: ListenerResult[]
  /** Resident memory of the listeners' processes at the end, each counted once (the threads mode's one process once, not per thread); absent in older results. */
  memory?: { rssBytes: number, processes: number }
  /** All listeners' server-side latency merged, microseconds. */
  serverLatencyUs: LatencySummary
  serverHistogram: string
  /** Over the listeners' accepts (the contract's fairness). */
  fairness: Fairness
  /** Over the listeners' requests. */
  requestFairness: Fairness
  /** The accepts against uniform random placement of the same connections; absent in results written before it existed. */
  placement?: Placement
  /** The CPUs the load generator and the listeners were pinned to; absent in results written before pinning existed. */
  cpus?: CpuSets
  /** The Node version the listeners ran under (the client's is the host's, `host.node`); absent in results written before --node existed. */
  listenerNode?: string
  /** Which side limited throughput; absent in results written before it existed. */
  bottleneck?: Bottleneck
  accounting: Accounting
  /**
   * Why this cell's figures are not a measurement of the listeners (analyse/validity.ts): another
   * run's sockets took part (foreign-socket), or the listeners answered none or few of the requests
   * (unanswered). Such a cell is named, kept in the record, and left out of every ratio and gate; absent when valid.
   */
  invalid?: CellInvalid
  /** A run over several hosts: the server host, each client host's share and figures, the clocks; absent when everything ran here. */
  hosts?: HostsRecord
  /** Figures of the 'cell' samplers (collect/samplers/), by sampler name; absent when none is registered. */
  samples?: Record<string, unknown>
  /** Modes side by side (plan.interleave 'rounds'): which round and place this slice had; absent for a cell run on its own. */
  slice?: SliceRecord
  /** How the listeners were warmed before this cell (or this slice's group); absent in results written before it existed, or with --warmup 0. */
  warmup?: WarmupRecord
}

/**
 * One slice of modes run side by side: `trial` of its ModeRun is its round (every mode once per round, in a fresh
 * shuffled order); `position` is its place in that order (1-based); `idleCpuMs` is what the other modes' groups,
 * which were not loaded during it, used meanwhile (it should be about 0).
 */
export interface SliceRecord { round: number, position: number, idleCpuMs: number }

/**
 * A warm-up that ends at steady state: short loads of `tickSec` until the last `window` of them agree within
 * `tolerance` of their mean, or until `capSec` (--warmup). `rps` holds each tick's throughput.
 * `asFirst`: a later trial (--interleave cells) warmed as many ticks as the first trial of its mode and
 * configuration took to reach its level, then until its last `window` (2) agreed.
 */
export interface WarmupRecord { seconds: number, steady: boolean, capSec: number, tickSec: number, tolerance: number, window: number, rps: number[], asFirst?: WarmedBefore }

/** The first trial's warm-up, as a later trial of the same mode and configuration uses it: its ramp in ticks and the level it settled at, req/s. */
export interface WarmedBefore { ticks: number, level: number }

/** Which side limited a cell's throughput (analyse/bottleneck.ts), and each side's use of its capacity. */
/** The CPU of a kind's helper processes (the cluster primary) over a cell's measured load (`runs[].samples.helpers`). */
export interface HelperCpu { pids: number[], cpuMs: number }

export interface Bottleneck {
  kind: 'client-bound' | 'listener-bound' | 'rate-bound' | 'unclear'
  /** The load generator's CPU as a share of the cores it can use (one per thread, at most its CPUs). */
  clientShare: number
  /** The busiest client thread's event-loop utilization: near 1, it never waited for a response (busy, or starved of CPU). Absent in older results. */
  clientLoopBusy?: number
  /** The listeners' CPU as a share of what they could use: min(processes, their CPUs) cores. */
  listenerShare: number
  listenerCapacity: number
}

/**
 * The CPUs each side of a cell ran on (topology/cpus.ts): null when that side
 * was not pinned; `rule` says how the sets were chosen.
 */
export interface CpuSets { client: number[] | null, listeners: number[] | null, rule: string }

/**
 * The host's pace before a run (proc/pace.ts): how long a Node start took, and the scale every phase's
 * deadline took from it (on top of --deadline-scale); `firstReadyMs`, once known, how long the first group
 * of listeners took to listen (later groups may take four times as long).
 */
export interface HostPace { nodeStartMs: number, scale: number, firstReadyMs?: number }

/**
 * Accept counts against uniform random placement of the same connections on
 * the same listeners, what a perfect 4-tuple hash gives (analyse/placement.ts).
 */
export interface Placement {
  /** Connections and listeners. */
  n: number
  k: number
  /** 'simulation' (seeded, 20,000 placements) for small n, 'chi-square' for large n, 'none' when there is nothing to spread. */
  method: 'simulation' | 'chi-square' | 'none'
  /** Jain's index random placement gives on average, and its 95% range. */
  expectedJain: number | null
  jainRange: [number, number] | null
  /** Chance that random placement is at least this uneven, and at least this even. */
  pMoreSkewed: number | null
  pMoreEven: number | null
  classification: 'more even than random placement' | 'consistent with random hashing' | 'more skewed than random hashing' | 'not applicable'
  /** Pearson's statistic of the counts (summed over the trials tested together); absent in older results. */
  statistic?: number
  /**
   * When random hashing cannot be told apart: about how many connections per
   * trial would, if the spread held as seen (null when it would not at any
   * number, or nothing leans either way); absent in older results.
   */
  connectionsToResolve?: number | null
  /** Set when several trials were tested together: how many (n, the expectation and the range are then those of one trial of the median size). */
  trials?: number
}

