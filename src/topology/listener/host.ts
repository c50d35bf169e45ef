/**
 * What a listener is given and what it is, whatever it serves: where it runs (a process or a thread, its
 * CPU clock, how it ends), and what the orchestrator's requests do to it once started, over HTTP
 * (server.ts) or UDP (datagrams.ts).
 */
import type { ListenerConfig, ListenerReady, ListenerSnapshot } from '../../types/listener.js'
import type { CpuClock } from './counters.js'

/** Where a listener runs, as it needs to know it. */
export interface ListenerHost {
  /** Its own CPU time (its process's, or its thread's). */
  readonly cpu: CpuClock
  /** Says `line` where the orchestrator reads it and ends the listener with `code` (2: bad input, 1: a failure). */
  fatal (line: string, code: number): void
  /** Ends the listener (after its final reply has left). */
  exit (): void
  /** A process, or a thread of the threads mode (a handler that cannot run in one is told so). */
  readonly where: 'process' | 'thread'
  /** The kernel's id of its thread, where it is a thread and known. */
  readonly tid?: number
}

/** What a started listener does, over HTTP (Listener) or UDP (DatagramListener). */
export interface Served {
  start (c: ListenerConfig): Promise<ListenerReady>
  snapshot (): ListenerSnapshot
  reset (): void
  releaseSteering (on: 'stop' | 'drain'): void
  close (): void
  drain (busyMs: number): Promise<ListenerSnapshot>
}
