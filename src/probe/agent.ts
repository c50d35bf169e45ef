/**
 * The orchestrator's handle on a probe agent process: start it (optionally as
 * another user), send it a request, await the reply.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { RunError } from '../errors.js'
import type { AgentReply, AgentRequest } from './protocol.js'

const AGENT = fileURLToPath(new URL('../../workers/probe-agent.js', import.meta.url))

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

export class Agent {
  private readonly child: ChildProcess
  private seq = 0
  private readonly waiting = new Map<number, { resolve: (r: AgentReply) => void, reject: (e: Error) => void }>()
  private readonly exited: Promise<void>

  /** Starts an agent; `user` runs it under another uid/gid (needs root). */
  constructor (readonly name: string, user?: { uid: number, gid: number }) {
    this.child = fork(AGENT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json', ...(user ?? {}) })
    this.child.stderr?.resume()
    this.child.on('message', (r: AgentReply) => {
      const w = this.waiting.get(r.id)
      this.waiting.delete(r.id)
      w?.resolve(r)
    })
    this.exited = new Promise(resolve => this.child.once('exit', () => {
      for (const w of this.waiting.values()) w.reject(new RunError('RB_LISTENER_DIED', `probe agent ${this.name} exited`))
      this.waiting.clear()
      resolve()
    }))
    process.once('exit', () => { try { this.child.kill('SIGKILL') } catch {} })
  }

  request (req: WithoutId<AgentRequest>, timeoutMs = 5000): Promise<AgentReply> {
    const id = ++this.seq
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiting.delete(id)
        reject(new RunError('RB_LISTENER_TIMEOUT', `probe agent ${this.name} did not answer '${req.op}' within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiting.set(id, {
        resolve: r => { clearTimeout(t); resolve(r) },
        reject: e => { clearTimeout(t); reject(e) }
      })
      this.child.send({ ...req, id })
    })
  }

  async stop (): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.disconnect()
    const t = setTimeout(() => this.child.kill('SIGKILL'), 1000)
    await this.exited
    clearTimeout(t)
  }
}
