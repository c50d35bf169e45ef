/**
 * Types of the native binding (what the addon takes and reports), at the bottom: imports nothing.
 */

/** Socket options the addon can set or read. */
export type SocketOptionName = 'SO_REUSEADDR' | 'SO_REUSEPORT' | 'SO_REUSEPORT_LB' | 'IPV6_V6ONLY' | 'SO_ACCEPTCONN'

/** What this platform's headers define, as compiled into the addon. */
export interface Capabilities {
  SO_REUSEPORT: boolean
  SO_REUSEPORT_LB: boolean
  IPV6_V6ONLY: boolean
  SO_ATTACH_REUSEPORT_CBPF: boolean
  /** Whether plain SO_REUSEPORT spreads TCP connections over the group (Linux yes, BSDs no). */
  reuseportBalances: boolean
  /** Whether the addon can pin processes to CPUs (sched_setaffinity: Linux); absent in older results. */
  cpuAffinity?: boolean
  /** Whether the headers define SO_INCOMING_CPU (Linux 3.19+; honoured in reuseport selection from 6.2); absent in older results. */
  SO_INCOMING_CPU?: boolean
}

export interface OpenOptions {
  host: string
  port: number
  reuseaddr?: boolean
  reuseport?: boolean
  reuseportLb?: boolean
  /** SO_INCOMING_CPU: prefer connections whose packets this CPU processed (incoming-cpu mode). */
  incomingCpu?: number
  /** IPv6 only: set IPV6_V6ONLY to this value; left as the OS default when undefined. */
  v6only?: boolean
  /** listen() with this backlog; when undefined the socket is only bound. */
  backlog?: number
  /** A UDP socket (SOCK_DGRAM) instead of TCP: only bound, never given a backlog. */
  datagram?: boolean
}

export interface LocalAddress {
  address: string
  port: number
  family: 4 | 6
}

/** An eBPF steering policy (topology/steer/policies.ts): the program's own hash, the less loaded of two, the least loaded of all. */
export type EbpfPolicy = 'hash' | 'two-choices' | 'least-loaded'

/** The kernel's ids of a group's eBPF steering objects: how the other listeners, and replacements, join them. */
export interface SteeringIds { sockarray: number, load: number, prog: number }

/** How a BPF program steers connections within a SO_REUSEPORT group. */
export type Steering =
  /** classic BPF: socket index = the CPU that received the packet, modulo the group size */
  | { kind: 'cpu', groupSize: number }
  /** classic BPF: every new connection to the socket at this index (in join order) */
  | { kind: 'index', index: number }
  /**
   * eBPF: a program over a REUSEPORT_SOCKARRAY and a load map the listeners update. Listener 0 creates
   * them (no `join`); every other listener and every replacement joins by their ids. `dump`: the
   * creator reports the instructions it loaded.
   */
  | { kind: 'ebpf', policy: EbpfPolicy, groupSize: number, join?: SteeringIds, dump?: boolean }

/** One socket's slot in the load map at a moment. */
export interface SteeringSlot {
  /** New connections the program sent to the socket. */
  assigned: number
  /** Of those, taken from its queue (as its listener last wrote). */
  accepted: number
  /** Connections its listener held open. */
  open: number
}

/** An eBPF steering program's state, as one listener read it. */
export interface SteeringState {
  policy: EbpfPolicy
  ids: SteeringIds
  slots: SteeringSlot[]
  /** Times the program ran, and times the chosen socket could not be selected (the kernel's hash then placed it), by its own count. */
  runs: number
  fallbacks: number
  /** bpf_prog_info's run_cnt and run_time_ns: counted only while kernel.bpf_stats_enabled is 1. */
  runCnt: number
  runTimeNs: number
  /** Writes this listener made to its slot since the measured load started (on accept, on close, and on each resync from its accept queue). */
  updates: number
  /** Of them, resyncs from the kernel's accept queue. */
  resyncs: number
  /** The creator only, when asked (--dump-steering): the instructions it loaded, base64. */
  insns?: string
}

/** A TCP socket listening on a port, as the kernel reports it (sock_diag, what `ss -ltm` reads). */
export interface ListenQueue {
  /** The socket's inode: /proc/<pid>/fd/* links to socket:[inode] in the processes holding it. */
  inode: number
  family: 4 | 6
  /** Connections accepted by the kernel, waiting for accept() (ss's Recv-Q). */
  queued: number
  /** The backlog limit (ss's Send-Q); the queue counts as full only above it. */
  backlog: number
  /** Packets the socket dropped (SK_MEMINFO_DROPS, ss -m's d<N>); -1 when not reported. */
  drops: number
}

/** Which kind of BPF object a call is about. */
export type BpfKind = 'prog' | 'map'

/** A BPF program or map as the kernel describes it (bpf_prog_info / bpf_map_info). */
export interface BpfObjectInfo {
  id: number
  type: number
  name: string
  /** Programs only: runs and time in them, counted while kernel.bpf_stats_enabled is 1 (0 otherwise). */
  runCnt?: number
  runTimeNs?: number
}

/** One listening socket's accept queue from its own fd (TCP_INFO: tcpi_unacked, tcpi_sacked). */
export interface AcceptQueue { queued: number, backlog: number }
