/**
 * The run plan and its vocabulary (modes, grid cells, thresholds), at the bottom: imports nothing.
 */

/** How a listener process sharing one port gets its socket. */
/** A listener kind's name: how the processes share the port (the kinds are registered in topology/kinds/index.ts). */
export type Mode = string

/** A few flows that carry a set share of a UDP load's datagrams (the rest share the remainder evenly). */
export interface HeavyFlows { flows: number, share: number }

/** The transport the listeners serve: TCP (HTTP) or UDP (datagrams, each answered). */
export type Protocol = 'tcp' | 'udp'

/** A steering policy's name (topology/steer/policies.ts). */
export type SteerPolicy = 'none' | 'cpu' | 'first' | 'hash' | 'two-choices' | 'least-loaded'


/** CPUs one side of a run is pinned to: 'auto' (the default rule, topology/cpus.ts), 'all' (not pinned), or these. */
export type CpuChoice = 'auto' | 'all' | number[]

export interface RunPlan {
  modes: Mode[]
  workers: number
  connections: number
  durationSec: number
  /** The longest warm-up, seconds: it ends sooner once throughput is steady (engine/warm.ts); 0: none. */
  warmupSec: number
  /** A new connection every `churn` requests; 0 = keep-alive. */
  churn: number
  /** Requests in flight on one connection (--pipelining, drivers that pipeline); results written before it existed: 1. */
  pipelining?: number
  /** Requests per second in total; 0 = as fast as possible. */
  rate: number
  /** The load driver (load/drivers/index.ts); results written before it existed used autocannon. */
  driver: string
  /**
   * What the listeners serve: HTTP over TCP, or datagrams over UDP (each answered, so the client measures round
   * trips); with 'udp', `connections` counts flows, the client's sockets, each its own 4-tuple. Absent: tcp.
   */
  protocol?: Protocol
  /** With protocol 'udp': the size of each datagram the client sends, bytes. */
  datagramBytes?: number
  /** With protocol 'udp': each listener connects a socket of its own to every new flow, on the same port, as QUIC servers do (--udp-connect). */
  udpConnect?: boolean
  /** With protocol 'udp': only these arms connect a socket to each flow, the others serve every flow on the group's socket, so the two are paired in one run (--udp-connect-arms); absent: as udpConnect says. */
  udpConnectArms?: Mode[]
  /** With protocol 'udp' and a rate: `flows` of the client's flows carry `share` of its datagrams between them (--heavy-flows K:share). */
  heavyFlows?: HeavyFlows
  host: string
  /** 0 picks a free port. */
  port: number
  backlog: number
  /** Seconds between cells (--interleave cells). */
  pauseSec: number
  /**
   * How modes are compared: 'rounds', every mode's group started once and kept up, the load sent to one
   * group at a time in slices of `sliceSec`, each round every mode once in a fresh shuffled order; 'cells',
   * fresh listeners per cell, one after another (scenarios with a timeline of their own: stall, restart,
   * runs over hosts). Results written before it existed: 'cells'.
   */
  interleave: 'rounds' | 'cells'
  /** With interleave 'rounds': the length of one slice, seconds. */
  sliceSec: number
  /**
   * What a round whose host changed within it (analyse/hostCheck.ts) becomes: left out of ratios; kept (and
   * said); or left out and run again at the end, at most half as many rounds again (side by side only).
   * Results written before it existed: keep.
   */
  unstable: 'leave-out' | 'keep' | 'rerun'
  /** Listener instrumentation (counters and histograms) on. */
  instrument: boolean
  label: string
  /** Busy CPU work per request in the listeners, microseconds. */
  workUs: number
  /** One listener blocks its event loop for `forMs` every `everyMs`; null for none. */
  stall: { index: number, forMs: number, everyMs: number } | null
  /**
   * Steering within a reuseport group, for every arm that can take a program: the kernel hash (none), a classic
   * BPF program (cpu: the receiving CPU; first: everything to the first socket), or an eBPF program over the
   * listeners' load (hash, two-choices, least-loaded; topology/steer).
   */
  steer: SteerPolicy
  /** Arms steered otherwise than `steer` (--steer ARM=POLICY), by mode name; absent in results written before it existed. */
  steerArms?: Record<Mode, SteerPolicy>
  /** Print an eBPF program's instructions and its map at the end (--dump-steering); absent: false. */
  dumpSteering?: boolean
  /** Replace every listener once, one at a time, during the load (a rolling restart). */
  restart: boolean
  /** In a restart, the old listener is busy this long (ms) before it closes, as a loaded process would be. */
  restartBusyMs: number
  /**
   * With modes side by side: rounds go on past the planned ones until every pair's req/s ratio has a 95%
   * interval within this share of the ratio (0.05: within 5%), or `maxTimeSec` is spent; null: the planned
   * rounds only. Results written before it existed: null.
   */
  precision?: number | null
  /** A budget for the whole run, seconds: no round starts that would end past it (after two); null: none. Results written before it existed: null. */
  maxTimeSec?: number | null
  /** Each grid cell is run this many times; cells run in a shuffled order when more than one. */
  trials: number
  /** A grid: every combination of these worker and connection counts (for sweeps); one value each for a plain run. */
  sweep: { workers: number[], connections: number[] }
  /** Order of runs is shuffled with this seed (recorded so the order can be repeated). */
  seed: number
  /** Thresholds that make `run` exit 3, after the result is written (e.g. jain<0.9, p99>50ms). */
  failIf: string[]
  /** Run the load generator in a network namespace of its own, joined to the listeners' by a veth pair (Linux, root). */
  clientNetns: boolean
  /** With clientNetns: client addresses that new connections take in turn. */
  clientAddrs: number
  /** Worker threads of the load generator, each with its share of the connections and rate; results written before it existed used 1. */
  clientThreads: number
  /** CPUs of the load generator; results written before it existed were not pinned. */
  clientCpus: CpuChoice
  /** CPUs of every listener process and the cluster primary. */
  listenerCpus: CpuChoice
  /** Accept queues are sampled every this many ms during the load (0 = not sampled); results written before it existed had none. */
  queueSampleMs: number
  /** Every phase's deadline is this many times its usual length (a slow host: a guest under software emulation); 1 in results written before it existed. */
  deadlineScale: number
  /** The Node binary the listeners (and only they) run under; null: the one running the harness. */
  node: string | null
  /** The user's request handler module, an absolute path; null: the fixed body. */
  handler: string | null
  /** The x-worker header on each connection's first response; results written before it existed had it. */
  attribution: boolean
  /** Where client hosts send the load (the server's address as they reach it); null: this host's listeners (results written before it existed). */
  target: { host: string, port: number } | null
  /** The transport prefix that reaches the server host ('ssh -p 22 user@host', 'ip netns exec NS'); null: the listeners run here. */
  serverVia: string | null
  /** Transport prefixes of the client hosts; empty: the load generator runs here. */
  clientVia: string[]
  /** The command that runs reuseport-bench on the other hosts; null: this Node and this installation, at the same paths. */
  remoteCommand: string | null
}

/** A Node binary and the version it reports. */
export interface NodeBinary { path: string, version: string }

/** Raw option values as they come from the command line (strings or numbers). */
export type RawOptions = Partial<Record<keyof RunPlan, unknown>>

/** A --fail-if threshold: `metric<value` or `metric>value`, e.g. jain<0.9, p99>50ms. */
export interface Threshold { metric: 'jain' | 'p99' | 'p50' | 'rps' | 'errors' | 'busiest', op: '<' | '>', value: number, text: string }

/** One run of the grid: a mode, a size, a trial. */
export interface Cell { mode: Mode, workers: number, connections: number, trial: number }
