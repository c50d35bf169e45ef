/**
 * The probe document (probe.json, or a result's `probe`) and its parts, at the bottom: imports only other types.
 */
import type { Mode, NodeBinary } from './plan.js'
import type { Fairness } from './run.js'
import type { HostFacts } from './host.js'

/** What the accept-order groups start on, resolved by the session (engine/session.ts probeListeners): the listeners' Node, their backlog, their CPUs (null: not pinned). */
export interface ProbeListeners { node: NodeBinary, backlog: number, cpus: number[] | null }

export interface ProbeDoc {
  /** The `$id` of the schema it fits; absent in probes written before it was named. */
  $schema?: string
  schemaVersion: 1
  kind: 'probe'
  tool: { name: 'reuseport-bench', version: string }
  createdAt: string
  command: string
  platform: string
  release: string
  host: HostFacts
  options: { ip: string, ip6: string, port: number, workers: number, sequence: number, spread: number }
  /** The article's table the cells are compared with, or null when it has none for this OS. */
  comparedWith: string | null
  summary: { articleCells: number, articleMatches: number, mismatches: number }
  cells: ProbeCell[]
  skipped: Skip[]
  acceptOrder: AcceptOrder[]
  /** Cloudflare's accept experiment with its own syscalls (probe/acceptStyles.ts); absent in probes written before it existed. */
  acceptStyles?: AcceptStyleOrder[]
  /** Whether connections migrated from a closing listener wake their new listener (probe/migrationWakeup.ts); absent where it did not run (the reason is in skipped). */
  migrationWakeup?: MigrationWakeup
  /** Which sockets of a group bound to one UDP port receive a unicast, a broadcast and a multicast datagram (probe/datagramDelivery.ts); absent where it did not run. */
  datagramDelivery?: DatagramDelivery
}

/** How a datagram was addressed: to the host (one 4-tuple each), to the subnet's broadcast address, to a multicast group the sockets joined. */
export type DatagramCast = 'unicast' | 'broadcast' | 'multicast'

/** One way of sharing the port (every socket with this option, bound to the wildcard) and one kind of datagram: how many were sent, and how many each socket received. */
export interface DatagramDeliveryRow { option: 'SO_REUSEPORT' | 'SO_REUSEADDR', cast: DatagramCast, sent: number, received: number[] }

/**
 * Who receives what, in a network namespace of the probe's own: `sockets` UDP sockets on one port of
 * `address`, sharing it by each option in turn; the datagrams and what each socket got. `claims`: what the
 * man pages in the article promise, each said measured here or, for the other OS, from its man page only.
 */
export interface DatagramDelivery {
  sockets: number
  address: string
  group: string
  rows: DatagramDeliveryRow[]
  claims: Array<{ os: 'linux' | 'freebsd', words: string, source: string, here: 'holds' | 'does not hold' | "man page only (not this host's OS)" }>
  sentence: string
}

/** How the listener that receives migrated connections waits for them. */
export type MigrationWaiter = 'epoll' | 'blocking-accept'

/**
 * One try: `connections` wait in listener A's accept queue; B, in A's SO_REUSEPORT group, waits; A closes
 * with net.ipv4.tcp_migrate_req=1 (in a namespace of its own). What B accepted within `waitMs` of the close,
 * and what only after the next connection to the port arrived.
 */
export interface MigrationWakeupTry {
  waiter: MigrationWaiter
  connections: number
  /** TCPMigrateReqSuccess in the namespace during the try. */
  migrated: number
  /** Accepted by B within waitMs of A's close, without any new connection. */
  promptly: number
  /** Accepted only once the next connection arrived (the nudge itself not counted). */
  afterNext: number
  /** Never accepted, even after the nudge. */
  lost: number
  /** Milliseconds from A's close to B's last prompt accept; null when none was prompt. */
  lastPromptMs: number | null
}

/** 'prompt': every migrated connection was accepted without help; 'waits-for-next': none was until another connection arrived. */
export type MigrationOutcome = 'prompt' | 'waits-for-next' | 'mixed' | 'not-migrated'

export interface MigrationWakeup {
  waitMs: number
  tries: MigrationWakeupTry[]
  /** Per waiter, over its tries. */
  outcomes: Array<{ waiter: MigrationWaiter, outcome: MigrationOutcome }>
  /** One sentence for a reader, with the figures. */
  sentence: string
}

/** Which of `workers` processes sharing one socket took each sequential connection, waiting in `style` (a blocking accept(), or epoll with EPOLLEXCLUSIVE). */
export interface AcceptStyleOrder {
  style: 'blocking' | 'epoll-exclusive'
  workers: number
  sequence: number[]
  counts: number[]
  total: number
  fairness: Fairness
}

export interface ProbeCell {
  /** bind | listen for the article's experiments; other names for extra rows. */
  experiment: string
  /** Which set of rows the cell belongs to (article, ipv6, order, uid, timewait, reuseport_lb). */
  group: string
  addrA: string
  addrB: string
  reuseaddr: 0 | 1
  reuseport: 0 | 1
  /** 'ok' or the errno name of the call that failed. */
  outcome: string
  /** The call that failed (bind or listen), when one did. */
  failedAt?: string
  expected: 'ok' | 'EADDRINUSE' | null
  /** Where `expected` comes from (the article, or a man page for extra rows). */
  expectedSource?: string
  matches: boolean | null
  extra: boolean
  note?: string
  /** For article cells: which of the three address pairs. */
  pair?: AddressPair
}

export interface MatrixSummary {
  articleCells: number
  articleMatches: number
  mismatches: ProbeCell[]
}

export interface AcceptOrder {
  mode: Mode
  workers: number
  /** Listener index that served each of the first `sequence.length` connections, in order. */
  sequence: number[]
  /** Connections per listener over all `total` sequential connections. */
  counts: number[]
  total: number
  fairness: Fairness
}

export interface Skip { rows: string, reason: string }

/** Which addresses A and B use: same specific IP twice, wildcard twice, specific then wildcard. */
export type AddressPair = 'specific-specific' | 'any-any' | 'specific-any'
