/**
 * The orchestrator's handle on a probe agent process: start it (optionally as
 * another user), send it a request, await the reply (ipc/channel.ts).
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { RunError } from '../errors.js'
import { ProtocolChannel } from '../ipc/protocol.js'
import { track } from '../proc/children.js'
import type { AgentProtocol, AgentReply, AgentRequest } from '../types/agent.js'
import { AGENT_REPLIES } from './replies.js'
import { childExecArgv } from '../proc/node.js'

const AGENT = fileURLToPath(new URL('../../workers/probe-agent.js', import.meta.url))

export class Agent {
  private readonly channel: ProtocolChannel<AgentProtocol>

  /** Starts an agent; `user` runs it under another uid/gid (needs root). */
  constructor (readonly name: string, user?: { uid: number, gid: number }) {
    const child = track(fork(AGENT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json', execArgv: childExecArgv(), ...(user ?? {}) }))
    this.channel = new ProtocolChannel<AgentProtocol>(child, `probe agent ${name}`).checkReplies(AGENT_REPLIES)
  }

  request (req: AgentRequest, timeoutMs = 5000): Promise<AgentReply> {
    return this.channel.request(req, {
      timeoutMs,
      onTimeout: () => new RunError('RB_AGENT', `probe agent ${this.name} (pid ${this.channel.pid}) did not answer '${req.op}' within ${timeoutMs} ms`)
    })
  }

  stop (): Promise<void> {
    return this.channel.close()
  }
}
