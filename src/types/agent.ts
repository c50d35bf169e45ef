/**
 * Messages between the probe orchestrator and a probe agent process
 * (workers/probe-agent.ts), which holds socket A or tries socket B.
 */
import type { NoFields, RequestOf } from './protocol.js'
import type { DatagramDeliveryRow, MigrationWakeupTry } from './probe.js'

export interface SocketSpec {
  host: string
  port: number
  reuseaddr: boolean
  reuseport: boolean
  reuseportLb: boolean
  /** IPv6 only; the OS default when undefined. */
  v6only?: boolean
  /** listen() after bind. */
  listen: boolean
  /** A UDP socket (only ever bound) instead of TCP. */
  datagram?: boolean
}

export type AgentReply =
  | { ok: true, fd?: number, uid: number }
  | { ok: false, code: string, failedAt: string, message: string, uid: number }

/** Orchestrator -> probe agent: every operation answers an AgentReply. */
export type AgentProtocol = {
  /** Answer with the agent's uid: it runs and can reach its code. */
  hello: { request: NoFields, reply: AgentReply, event: never }
  open: { request: { spec: SocketSpec }, reply: AgentReply, event: never }
  listen: { request: { fd: number }, reply: AgentReply, event: never }
  close: { request: { fd: number }, reply: AgentReply, event: never }
  /** Leave a connection in TIME_WAIT on host:port (the server side closes first), then close the listener. */
  timewait: { request: { host: string, port: number }, reply: AgentReply, event: never }
}

export type AgentRequest = RequestOf<AgentProtocol>

/** How an accept agent (workers/accept-agent.ts) waits for a connection on the socket it shares: Cloudflare's two ways. */
export type AcceptStyle = 'blocking' | 'epoll-exclusive'

/** Wait for the next connection on the shared socket (fd 4) in `style`; the reply comes once it has accepted one. 'hello' answers once the agent runs. */
export type AcceptReply = { ok: true } | { ok: false, code: string, message: string }

/** Orchestrator -> accept agent (the accept-order probe): each answers an AcceptReply. */
export type AcceptProtocol = {
  hello: { request: NoFields, reply: AcceptReply, event: never }
  accept: { request: { style: AcceptStyle }, reply: AcceptReply, event: never }
}

export type AcceptRequest = RequestOf<AcceptProtocol>

/** What the migration-wakeup child (workers/migration-wakeup.ts) is asked: tries per waiter, connections queued per try, and how long a prompt accept may take. */
export interface MigrationWakeupRequest {
  waiters: Array<'epoll' | 'blocking-accept'>
  tries: number
  connections: number
  waitMs: number
}

/** What the datagram-delivery child (workers/udp-delivery.ts) is asked: sockets in the group, unicast datagrams to send (each from a socket of its own), how long to wait for copies. */
export interface DatagramDeliveryRequest { sockets: number, unicast: number, waitMs: number }

/** Orchestrator -> the datagram-delivery child in its own namespace: one request, every row in one reply. */
export type DatagramDeliveryProtocol = {
  deliver: { request: DatagramDeliveryRequest, reply: DatagramDeliveryRow[], event: never }
}

/** Orchestrator -> the migration-wakeup tries in their own namespace: one request, every try in one reply. */
export type MigrationWakeupProtocol = {
  tries: { request: MigrationWakeupRequest, reply: MigrationWakeupTry[], event: never }
}
