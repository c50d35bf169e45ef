/**
 * Runs over several hosts: the control requests a remote side takes on its
 * stdin (`serve --control stdio`, `load --control stdio`), what it answers,
 * and what a cell records about its hosts. At the bottom: imports only types.
 */
import type { GroupOptions, ListenerSnapshot, StopResult } from './listener.js'
import type { LoadResult, LoadSpec } from './load.js'
import type { HostFacts, ReuseChoice } from './run.js'

export type { ClientHostRecord, ClockSkew, HostRecord, HostsRecord } from './run.js'

/**
 * The listener side of a cell as a server host is asked to start it: a group's options less the
 * Node binary (the server host runs its own), plain data checked on arrival (remote/check.ts);
 * `handler` is a path on the server host and `cpus` are its CPUs.
 */
export type RemoteListenerSpec = Omit<GroupOptions, 'node' | 'label' | 'workUs'> & { label: string, workUs: number }

/** Every remote side answers these. */
export type CommonRequest = { op: 'hello' } | { op: 'clock' } | { op: 'status' }

export type ServerRequest =
  | CommonRequest
  | { op: 'start', listeners: RemoteListenerSpec, withinMs: number }
  | { op: 'stats' | 'reset', withinMs: number }
  /** Begins the cell samplers (accept queues, netstat, helper CPU) on the server host. */
  | { op: 'sample', sampleMs: number }
  /** Ends them and answers their figures. */
  | { op: 'samples' }
  /** Final figures of every listener, then the listeners end (the control side stays for the next cell). */
  | { op: 'stop', withinMs: number }

export type LoadControlRequest =
  | CommonRequest
  /** Runs one load, starting at `startAtMs` by this host's own clock (the orchestrator translated its start time with the measured offset). */
  | { op: 'load', spec: LoadSpec, sourceAddresses: string[], startAtMs: number }

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
