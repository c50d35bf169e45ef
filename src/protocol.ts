/**
 * The typed protocol between the orchestrator and listener processes
 * (imported by both sides). Parent -> child: ControlMessage. Child -> parent:
 * ListenerMessage. Listener configuration travels in the environment
 * variable named by CONFIG_ENV, as JSON.
 */

import type { Steering } from './native/index.js'

export const CONFIG_ENV = 'RB_LISTENER_CONFIG'

/** How a listener process sharing one port gets its socket. */
export type Mode = 'reuseport' | 'reuseport-plain' | 'shared' | 'cluster' | 'single'
export const MODES: readonly Mode[] = ['reuseport', 'reuseport-plain', 'shared', 'cluster', 'single']

export type SocketSource =
  /** Create its own socket through the addon (reuseport and single modes). */
  | { kind: 'own', host: string, port: number, reuseport: boolean, reuseportLb: boolean, backlog: number }
  /** Use a listening socket handed down as an inherited file descriptor (shared mode). */
  | { kind: 'inherited', fd: number }
  /** Node's cluster: listen() and let the primary hand connections round-robin. */
  | { kind: 'cluster', host: string, port: number }

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
  /** Event-loop delay in milliseconds (perf_hooks.monitorEventLoopDelay): how long ready work waited. */
  loopDelayMs: LoopDelay
  /** Accepted connections by peer address (at most 64 addresses kept). */
  peers: Record<string, number>
  /** Steering program state: attached, and on the final stats whether it was detached cleanly. */
  steering?: { attached: boolean, detached?: string }
}

export type ControlMessage =
  | { type: 'stats', seq: number }
  | { type: 'reset', seq: number }
  | { type: 'stop', seq: number }
  /** Graceful stop, as in a deploy: close the listening socket, finish requests, close connections, report, exit. */
  | { type: 'drain', seq: number, busyMs?: number }
  /** To the cluster primary: replace worker `index` (fork a new one, then drain the old one). */
  | { type: 'restart', seq: number, index: number, busyMs?: number }

export type ListenerMessage =
  | { type: 'ready', index: number, pid: number, port: number }
  | { type: 'stats', index: number, pid: number, seq: number, final: boolean, stats: ListenerStats }
  | { type: 'error', index: number, pid: number, code: string, message: string }

/** Narrowing for messages that arrive over IPC as unknown. */
export function isListenerMessage (m: unknown): m is ListenerMessage {
  if (typeof m !== 'object' || m === null) return false
  const t = (m as { type?: unknown }).type
  return (t === 'ready' || t === 'stats' || t === 'error') && typeof (m as { index?: unknown }).index === 'number'
}

export function isControlMessage (m: unknown): m is ControlMessage {
  if (typeof m !== 'object' || m === null) return false
  const t = (m as { type?: unknown }).type
  return (t === 'stats' || t === 'reset' || t === 'stop' || t === 'drain' || t === 'restart') && typeof (m as { seq?: unknown }).seq === 'number'
}
