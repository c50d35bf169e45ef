/**
 * Runs over several hosts: the control requests a remote side takes on its
 * stdin (`serve --control stdio`, `load --control stdio`), what it answers,
 * and what a cell records about its hosts. At the bottom: imports only types.
 */
import type { GroupOptions, ListenerSnapshot, StopResult } from './listener.js'
import type { LoadResult, LoadSpec, LoadTick } from './load.js'
import type { NoFields, RequestOf } from './protocol.js'
import type { ReuseChoice } from './run.js'
import type { HostFacts } from './host.js'

export type { ClientHostRecord, ClockSkew, HostRecord, HostsRecord } from './host.js'

/**
 * The listener side of a cell as a server host is asked to start it: a group's options less the
 * Node binary (the server host runs its own), plain data checked on arrival (remote/check.ts);
 * `handler` is a path on the server host and `cpus` are its CPUs.
 */
export type RemoteListenerSpec = Omit<GroupOptions, 'node' | 'label' | 'workUs'> & { label: string, workUs: number }

/** Every remote side answers these. */
export type CommonProtocol = {
  hello: { request: NoFields, reply: Hello, event: never }
  clock: { request: NoFields, reply: ClockReply, event: never }
  status: { request: NoFields, reply: ControlStatus, event: never }
}

/** A server host's control side. */
export type ServerProtocol = CommonProtocol & {
  start: { request: { listeners: RemoteListenerSpec, withinMs: number }, reply: ServerStarted, event: never }
  stats: { request: { withinMs: number }, reply: ServerStats, event: never }
  reset: { request: { withinMs: number }, reply: ServerStats, event: never }
  /** Begins the cell samplers (accept queues, netstat, helper CPU) on the server host. */
  sample: { request: { sampleMs: number }, reply: NoFields, event: never }
  /** Ends them and answers their figures. */
  samples: { request: NoFields, reply: Record<string, unknown>, event: never }
  /** Final figures of every listener, then the listeners end (the control side stays for the next cell). */
  stop: { request: { withinMs: number }, reply: ServerStopped, event: never }
}

/** A client host's control side. */
export type LoadSideProtocol = CommonProtocol & {
  /** Runs one load, starting at `startAtMs` by this host's own clock (the orchestrator translated its start time with the measured offset). */
  load: { request: { spec: LoadSpec, sourceAddresses: string[], startAtMs: number }, reply: RemoteLoadDone, event: LoadTick }
}

/** What the orchestrator may ask a host of either role (a side refuses the other role's operations). */
export type RemoteProtocol = ServerProtocol & LoadSideProtocol

export type CommonRequest = RequestOf<CommonProtocol>
export type ServerRequest = RequestOf<ServerProtocol>
export type LoadControlRequest = RequestOf<LoadSideProtocol>

export type ControlRole = 'server' | 'load'

export interface Hello { role: ControlRole, version: string, pid: number, facts: HostFacts }
export interface ClockReply { nowMs: number }

/** What a control stream refused, by reason, and how many requests it answered. */
export interface ControlStatus {
  answered: number
  refused: { malformed: number, oversized: number, notRequest: number, invalid: number, busy: number }
}

export interface ServerStarted { workers: number, port: number, pids: number[], readyMs: number, choice: ReuseChoice }
export type ServerStats = ListenerSnapshot[]
export type ServerStopped = StopResult

/** A load run on a client host, with when it began by that host's clock and how late that was against the time it was given. */
export interface RemoteLoadDone { result: LoadResult, startedAtMs: number, lateMs: number }
