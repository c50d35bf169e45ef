/**
 * The kernel's own view of a cell, recorded by the cell samplers
 * (collect/samplers/queues.ts, netstat.ts) under `runs[].samples`. At the
 * bottom: imports nothing.
 */

/** One listening socket's accept queue over the measured load. */
export interface SocketQueue {
  /** Who holds it: 'listener 2', 'shared by listeners 0-3', 'the cluster primary', or 'unknown'. */
  owner: string
  /** The listener indexes that accept from it (empty for the cluster primary's or an unknown one). */
  listeners: number[]
  inode: number
  backlog: number
  /** Queue length over the samples: largest, 99th percentile, mean. */
  max: number
  p99: number
  mean: number
  /** Packets it dropped over the load (ss -m's d<N>); absent where not reported. */
  drops?: number
  /** The queue length at each sample (times in `AcceptQueues.tMs`; 0 where the socket did not exist). */
  series: number[]
  /** When it was first and last seen, ms into the load: a socket opened or closed during the load (a restart) shows here. */
  seenMs: [number, number]
  /** Its queue at the last sample it was seen in: for a socket closed during the load, about what waited in it when it closed. */
  lastQueued: number
}

/** `runs[].samples.queues`: every socket listening on the cell's port, sampled every `intervalMs`. */
export interface AcceptQueues {
  intervalMs: number
  /** Each sample's time, ms since the load began. */
  tMs: number[]
  sockets: SocketQueue[]
  /** Why nothing was sampled (another OS, sock_diag refused); absent when sampled. */
  skipped?: string
}

/** `runs[].samples.netstat`: deltas over the load of the TCP counters of /proc/net/netstat (this network namespace). */
export interface KernelCounters {
  deltas: Record<string, number>
  /** Counters this kernel does not have. */
  missing: string[]
  /** Why nothing was read (not Linux, /proc unreadable); absent when read. */
  skipped?: string
}
