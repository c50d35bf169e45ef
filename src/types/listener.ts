/**
 * The typed protocol between the orchestrator and listener processes
 * (imported by both sides), carried by the one request/reply helper
 * (ipc/channel.ts): the parent sends ListenerRequest, each answered by one
 * reply. A listener gets its configuration as its first request ('start'),
 * checked against topology/listenerConfig.ts, never from the environment. The cluster
 * primary speaks PrimaryRequest for all its workers at once.
 */
import type { NoFields, RequestOf } from './protocol.js'
import type { Steering, SteeringIds, SteeringState } from './native.js'
import type { Mode, NodeBinary } from './plan.js'

export type SocketSource =
  /** Create its own socket through the addon (reuseport, single and incoming-cpu modes); with `incomingCpu`, pinned to that CPU and its socket set to SO_INCOMING_CPU = it. */
  | { kind: 'own', host: string, port: number, reuseport: boolean, reuseportLb: boolean, backlog: number, incomingCpu?: number }
  /** Use a listening socket handed down as an inherited file descriptor (shared mode); Node listens on it again, with this backlog. */
  | { kind: 'inherited', fd: number, backlog: number }
  /** Node's own listen() with these options: in a cluster worker the primary hands connections round-robin; `reusePort` asks Node for SO_REUSEPORT (node-reuseport mode). */
  | { kind: 'listen', host: string, port: number, reusePort?: boolean, backlog?: number }
  /** A socket Node binds itself with net.BoundSocket({ reusePort: true }), adopted by listen() (bound-socket mode, Node 24.19+ / 26.4+). */
  | { kind: 'bound', host: string, port: number, backlog: number }
  /** No socket of its own: a worker thread serves the connections its host accepts on `port` and hands it, transferred through postMessage (Node 24.20+ / 26.6+). */
  | { kind: 'handed', port: number }

export interface ListenerConfig {
  index: number
  mode: Mode
  socket: SocketSource
  /** Record per-request latency histograms and counters (off only to measure their cost). */
  instrument: boolean
  /** Busy CPU work per request on the listener's own thread, microseconds. */
  workUs: number
  /** This listener blocks its event loop for `forMs` every `everyMs` (an injected stall). */
  stall?: { forMs: number, everyMs: number }
  /** Attach this steering program to the SO_REUSEPORT group (listener 0 of a reuseport group only). */
  steer?: Steering
  /** The user's request handler module (an absolute path), served instead of the fixed body. */
  handler?: string
  /** Send the x-worker header on a connection's first response (the client's split by listener); true when absent. */
  attribution?: boolean
  /** Serve UDP datagrams on the source's port (each answered, carrying the listener's index) instead of HTTP. */
  protocol?: 'udp'
  /** UDP: connect a socket of its own to each new flow, on the same port, and serve the flow there (--udp-connect). */
  udpConnect?: true
}

export interface LoopDelay { p50: number, p99: number, max: number }

export interface ListenerStats {
  accepts: number
  requests: number
  /** Client or socket errors seen by the server, other than resets. */
  errors: number
  /** Connections reset by the client (a load generator stopping mid-request does this). */
  resets: number
  /** Connections currently open. */
  open: number
  cpuUserUs: number
  cpuSystemUs: number
  rssBytes: number
  /** Server-side request latency in microseconds, hdr histogram, compressed base64. */
  histogram: string
  /** Event-loop delay in milliseconds beyond the monitor's 5 ms sampling period (perf_hooks.monitorEventLoopDelay): how long ready work waited. */
  loopDelayMs: LoopDelay
  /** Share of the time the event loop was busy (perf_hooks eventLoopUtilization), since the last reset; absent in older results. */
  loopUtilization?: number
  /** Accepted connections by peer address (at most 64 addresses kept). */
  peers: Record<string, number>
  /** Steering program state: attached, on the final stats whether it was detached cleanly, and an eBPF program's state. */
  steering?: { attached: boolean, detached?: string, ebpf?: SteeringState }
  /** The stalled listener on a socket of its own: for each stall, connections that queued on it meanwhile and connections the host accepted meanwhile (Tcp PassiveOpens). */
  stallWindows?: StallWindow[]
  /** UDP only: what the listener's socket got (topology/listener/datagrams.ts). */
  udp?: DatagramStats
}

/**
 * What a UDP listener counted: `datagrams` received (each answered: `accepts` counts the flows new to it and
 * `requests` the datagrams, so the statistics of connections apply), `flows`, the distinct client 4-tuples it
 * saw, and of its socket the kernel's `drops` (a full receive buffer) and the bytes `queued` unread.
 */
export interface DatagramStats {
  datagrams: number
  flows: number
  drops: number | null
  queued: number | null
  /** Its sockets' inodes: listeners that read one socket report its drops alike. */
  socket: string | null
  /** With --udp-connect: the sockets it connected, one per flow, as a QUIC server does, and the datagrams the kernel delivered to them (the rest came in on the group's socket). */
  connected?: number
  onConnected?: number
}

/** One stall of a listener: connections that waited on its socket, out of all new ones on the host in that time. */
export interface StallWindow { queued: number, opened: number }

/** A listener that listens: its index, process and port (and, for a thread of the threads mode, the kernel's id of the thread). */
export interface ListenerReady { index: number, pid: number, port: number, tid?: number, steering?: SteeringIds }

export interface ListenerSnapshot { index: number, pid: number, tid?: number, stats: ListenerStats }

/** What `stop` got: the final figures of the listeners that answered, and who did not. */
export interface StopResult { snapshots: ListenerSnapshot[], missing: string }

/** Parent -> listener, one map: 'start' answers ListenerReady; every other request a ListenerSnapshot. */
export type ListenerProtocol = {
  start: { request: { config: ListenerConfig }, reply: ListenerReady, event: never }
  stats: { request: NoFields, reply: ListenerSnapshot, event: never }
  reset: { request: NoFields, reply: ListenerSnapshot, event: never }
  /** Final figures, then exit. */
  stop: { request: NoFields, reply: ListenerSnapshot, event: never }
  /** Graceful stop, as in a deploy: close the listening socket, finish requests, close connections, report, exit. */
  drain: { request: { busyMs: number }, reply: ListenerSnapshot, event: never }
}

/** Any request to a listener, as it travels. */
export type ListenerRequest = RequestOf<ListenerProtocol>

/**
 * Parent -> cluster primary, for all its workers: 'start' answers
 * ListenerReady[]; stats/reset/stop answer the ListenerSnapshot[] of the
 * workers that answered within `withinMs`; 'restart' forks a replacement for
 * worker `index`, sends a `{ ready }` event when it listens, drains the old
 * one and answers its final ListenerSnapshot.
 */
export type PrimaryProtocol = {
  /** `schedule`: how a cluster primary hands out connections ('rr' round-robin, Node's default; 'none' the OS's choice); a threads host given 'rr' accepts itself and hands connections to its threads in turn. */
  start: { request: { workers: number, listener: ListenerConfig, schedule?: 'rr' | 'none', stall?: { index: number, forMs: number, everyMs: number } }, reply: ListenerReady[], event: never }
  stats: { request: { withinMs: number }, reply: ListenerSnapshot[], event: never }
  reset: { request: { withinMs: number }, reply: ListenerSnapshot[], event: never }
  stop: { request: { withinMs: number }, reply: ListenerSnapshot[], event: never }
  restart: { request: { index: number, busyMs: number }, reply: ListenerSnapshot, event: PrimaryEvent }
}

/** Any request to the cluster primary. */
export type PrimaryRequest = RequestOf<PrimaryProtocol>
export interface PrimaryEvent { ready: ListenerReady }

/** What a group of listeners is asked to be (the cell's listener side). */
export interface GroupOptions {
  mode: string
  workers: number
  host: string
  /** 0 picks a free port. */
  port: number
  backlog: number
  instrument: boolean
  /** Busy work per request, microseconds. */
  workUs?: number
  /** Listener `index` blocks its event loop for `forMs` every `everyMs`. */
  stall?: { index: number, forMs: number, everyMs: number }
  /** A steering program for the reuseport group (attached by listener 0). */
  steer?: Steering
  /** How errors name this group (e.g. the cell: 'reuseport (4 workers, 50 connections)'); the mode by default. */
  label?: string
  /** CPUs every process of the group is pinned to (topology/cpus.ts); not pinned when absent. */
  cpus?: number[]
  /** The Node binary the listeners run under (--node); this process's when absent. */
  node?: NodeBinary
  /** The user's request handler module, an absolute path (--handler). */
  handler?: string
  /** The x-worker header on a connection's first response; true when absent. */
  attribution?: boolean
  /** Serve UDP datagrams instead of HTTP. */
  protocol?: 'udp'
  /** UDP: a connected socket per flow (--udp-connect). */
  udpConnect?: true
}
