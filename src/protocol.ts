/**
 * The typed protocol between the orchestrator and listener processes
 * (imported by both sides). Parent -> child: ControlMessage. Child -> parent:
 * ListenerMessage. Listener configuration travels in the environment
 * variable named by CONFIG_ENV, as JSON.
 */

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
}

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
}

export type ControlMessage =
  | { type: 'stats', seq: number }
  | { type: 'reset', seq: number }
  | { type: 'stop', seq: number }

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
  return (t === 'stats' || t === 'reset' || t === 'stop') && typeof (m as { seq?: unknown }).seq === 'number'
}
