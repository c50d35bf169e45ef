/**
 * Messages between the probe orchestrator and a probe agent process
 * (workers/probe-agent.ts), which holds socket A or tries socket B.
 */

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
}

export type AgentRequest =
  /** Answer with the agent's uid: it runs and can reach its code. */
  | { op: 'hello' }
  | { op: 'open', spec: SocketSpec }
  | { op: 'listen', fd: number }
  | { op: 'close', fd: number }
  /** Leave a connection in TIME_WAIT on host:port (the server side closes first), then close the listener. */
  | { op: 'timewait', host: string, port: number }

export type AgentReply =
  | { ok: true, fd?: number, uid: number }
  | { ok: false, code: string, failedAt: string, message: string, uid: number }

/** How an accept agent (workers/accept-agent.ts) waits for a connection on the socket it shares: Cloudflare's two ways. */
export type AcceptStyle = 'blocking' | 'epoll-exclusive'

/** Wait for the next connection on the shared socket (fd 4) in `style`; the reply comes once it has accepted one. 'hello' answers once the agent runs. */
export type AcceptRequest = { op: 'hello' } | { op: 'accept', style: AcceptStyle }

export type AcceptReply = { ok: true } | { ok: false, code: string, message: string }

/** What the migration-wakeup child (workers/migration-wakeup.ts) is asked: tries per waiter, connections queued per try, and how long a prompt accept may take. */
export interface MigrationWakeupRequest {
  waiters: Array<'epoll' | 'blocking-accept'>
  tries: number
  connections: number
  waitMs: number
}
