/**
 * What a listener kind is: one way for several processes to serve one port
 * (own SO_REUSEPORT sockets, one shared socket, Node's cluster...). A kind
 * says which socket option it uses on this OS and starts its processes
 * through the group's Spawner; the group (topology/group.ts) does the rest:
 * deadlines, deaths, stop. Kinds are registered in kinds/index.ts.
 */
import type { ChildProcess } from 'node:child_process'
import type { ProtocolChannel, ReplyShapes } from '../../ipc/protocol.js'
import type { Protocol } from '../../types/protocol.js'
import type { Capabilities, SteeringIds } from '../../types/native.js'
import type { GroupOptions, ListenerConfig, ListenerSnapshot, SocketSource } from '../../types/listener.js'
import type { ReuseChoice } from '../../types/run.js'
import type { KernelFeatureId } from '../../types/features.js'

export type { GroupOptions } from '../../types/listener.js'

export type ListenerOp = 'stats' | 'reset' | 'stop'

/** A listener's own start is bounded by the group's start deadline (which kills everything); this only keeps a request from waiting forever. */
export const START_BACKSTOP_MS = 120_000

/** The processes serving a group's listeners, as a kind started them. */
export interface RunningListeners {
  /** The port they share. */
  readonly port: number
  /** Asks every listener; the snapshots of those that answered within `withinMs`, by index. */
  askAll (op: ListenerOp, withinMs: number): Promise<Map<number, ListenerSnapshot>>
  /**
   * Replaces listener `index` as a deploy would: starts the new process, calls
   * `onReady` once it listens, drains the old one; resolves with the old one's final figures.
   */
  replace (index: number, busyMs: number, withinMs: number, onReady: () => void): Promise<ListenerSnapshot>
  /** The process serving `index`, and how it is reached ('' directly, or ' via the cluster primary'). */
  whoServes (index: number): { pid: number | undefined, via: string }
  /** Processes of the kind that serve no listener index but work for them (the cluster primary, which accepts every connection). */
  helperPids?: () => number[]
  /** Releases what the kind holds in this process (e.g. a shared socket). */
  release (): void
}

/** What the group gives a kind to start processes with: each one tracked, its exits watched, its deaths reported. */
export interface Spawner {
  readonly opts: GroupOptions
  readonly workers: number
  /** How errors name the group (the cell, or the mode). */
  readonly label: string
  /** Forks `script` (a worker under workers/), optionally handing down `inheritFd` as fd 4; its replies are checked against `replies`. */
  spawn<P extends Protocol> (script: string, name: string, replies: ReplyShapes<P>, inheritFd?: number): { child: ChildProcess, channel: ProtocolChannel<P> }
  /** This child's exit is expected from now on (it is being replaced or stopped). */
  expectExit (child: ChildProcess): void
  /** Listener `index`'s configuration (the same for its replacements); `join`: the eBPF steering objects listener 0 made, which the others and every replacement join. */
  config (index: number, socket: SocketSource, replacement?: boolean, join?: SteeringIds): ListenerConfig
}

/** What a published source leads one to expect of a kind's spread of connections, and the source in words. */
export interface PublishedSpread {
  readonly expect: 'more even than random placement' | 'consistent with random hashing' | 'more skewed than random hashing'
  readonly source: string
}

/** A published claim about the share of connections a kind's busiest few listeners take (Node's docs on SCHED_NONE). */
export interface BusiestClaim {
  /** The source's words, quoted. */
  readonly words: string
  /** Who says so ("Node's docs say of SCHED_NONE"). */
  readonly who: string
  readonly share: number
  readonly top: number
  readonly workers: number
}

/** What is published about a kind, which the verdict sets the figures against. */
export interface KindClaims {
  readonly spread?: PublishedSpread
  readonly busiest?: BusiestClaim
  /** With one listener stalling, this kind's tail widens against the baseline's (Cloudflare 2017). */
  readonly stallTail?: true
}

/** Tries a kernel feature on this host: why it is missing, or undefined when it works (kernel/features.ts missingFeature). */
export type KernelCheck = (id: KernelFeatureId) => string | undefined

export interface ListenerKind {
  /** The name users give in --modes, and results record. */
  readonly mode: string
  /** One line for --help and the report. */
  readonly description: string
  /** Its colour in every chart of a report or comparison (distinct under the common colour-vision deficiencies). */
  readonly color: string
  /** What one of its listeners is, in progress lines ('listener process', 'listener thread'). */
  readonly member: 'listener process' | 'listener thread'
  /** Whether its listeners hang from one process (a primary or a threads host) whose end, or one member's, ends them all. */
  readonly oneParent?: true
  /** Whether the client's CPU decides which listener a connection goes to (the report then says where the client threads ran). */
  readonly placesByCpu?: true
  /** Whether a plain run (no --modes) compares it. */
  readonly byDefault?: true
  /** What published sources say of it. */
  readonly claims?: KindClaims
  /** Whether the listeners form one SO_REUSEPORT group (tcp_migrate_req applies). */
  readonly reuseportGroup: boolean
  /** Whether a steering program (--steer) can be attached: listener 0 opens its socket through the addon and the group joins in index order. */
  readonly steerable?: true
  /** Whether its listeners can serve UDP (--protocol udp): their socket source binds a datagram socket. */
  readonly datagrams?: true
  /** Whether its UDP listeners can connect a socket of their own to each flow on the same port (--udp-connect): their sockets are their own. */
  readonly connectsFlows?: true
  /** The mode every other is compared with (ratios, and first in every pair) when a plan has it; one kind is. */
  readonly baseline?: true
  /** A fixed number of listeners, whatever --workers says (single: 1). */
  readonly workers?: number
  /**
   * The socket option this kind uses on this OS with the listeners' Node (`node`, e.g. 'v22.12.0'); a UsageError
   * (RB_UNSUPPORTED) where it cannot run. `kernel` tries a kernel feature on this host (the caller's: the registry
   * itself loads nothing that touches the kernel).
   */
  choose (caps: Capabilities, node: string, kernel: KernelCheck): ReuseChoice
  /** Starts the group's listeners; resolves once every one listens. */
  launch (s: Spawner, choice: ReuseChoice): Promise<RunningListeners>
}
