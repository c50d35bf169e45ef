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
}

export interface LocalAddress {
  address: string
  port: number
  family: 4 | 6
}

/** How a classic BPF program steers connections within a SO_REUSEPORT group. */
export type Steering =
  /** socket index = the CPU that received the packet, modulo the group size */
  | { kind: 'cpu', groupSize: number }
  /** every new connection to the socket at this index (in join order) */
  | { kind: 'index', index: number }

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
