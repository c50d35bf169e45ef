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
  | { id: number, op: 'open', spec: SocketSpec }
  | { id: number, op: 'listen', fd: number }
  | { id: number, op: 'close', fd: number }
  /** Leave a connection in TIME_WAIT on host:port (the server side closes first), then close the listener. */
  | { id: number, op: 'timewait', host: string, port: number }

export type AgentReply =
  | { id: number, ok: true, fd?: number, uid: number }
  | { id: number, ok: false, code: string, failedAt: string, message: string, uid: number }
