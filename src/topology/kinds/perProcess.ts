/**
 * Listeners that each run in a process of their own, each answering over its
 * own channel (the own-socket kinds and the shared socket). The first one
 * picks the port when it is 0; the rest join it.
 */
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PhaseTimeoutError, RunError } from '../../errors.js'
import type { ProtocolChannel } from '../../ipc/protocol.js'
import { reap } from '../../proc/children.js'
import type { ListenerProtocol, ListenerReady, ListenerSnapshot, SocketSource } from '../../types/listener.js'
import type { SteeringIds } from '../../types/native.js'
import { START_BACKSTOP_MS } from './kind.js'
import { LISTENER_REPLIES } from '../replies.js'
import type { ListenerOp, RunningListeners, Spawner } from './kind.js'

const LISTENER = fileURLToPath(new URL('../../../workers/listener.js', import.meta.url))

type ListenerChannel = ProtocolChannel<ListenerProtocol>
interface Member { child: ChildProcess, channel: ListenerChannel, ready: ListenerReady }

export class ProcessPerListener implements RunningListeners {
  port = 0
  private readonly members = new Map<number, Member>()
  /** The eBPF steering objects listener 0 made, which every later listener joins. */
  private join: SteeringIds | undefined

  /** `socketFor` gives listener `index` its socket on `port`; `inheritFd` is handed down to every process as fd 4. */
  constructor (private readonly s: Spawner, private readonly socketFor: (index: number, port: number) => SocketSource, private readonly inheritFd?: number, private readonly onRelease?: () => void) {}

  /** Starts every listener: the first alone (it may pick the port), then the rest, one by one when `inOrder` (join order matters to a steering program). */
  async startAll (inOrder: boolean): Promise<this> {
    const first = await this.startOne(0, this.s.opts.port, START_BACKSTOP_MS)
    this.members.set(0, first)
    this.port = first.ready.port
    this.join = first.ready.steering
    const rest = [...Array(this.s.workers).keys()].slice(1)
    if (inOrder) {
      for (const i of rest) this.members.set(i, await this.startOne(i, this.port, START_BACKSTOP_MS))
    } else {
      const started = await Promise.all(rest.map(i => this.startOne(i, this.port, START_BACKSTOP_MS)))
      for (const m of started) this.members.set(m.ready.index, m)
    }
    return this
  }

  private async startOne (index: number, port: number, withinMs: number, replacement = false): Promise<Member> {
    const { child, channel } = this.s.spawn<ListenerProtocol>(LISTENER, `listener ${index}`, LISTENER_REPLIES, this.inheritFd)
    const onTimeout = (): Error => new PhaseTimeoutError(replacement ? 'restart' : 'start', this.s.label, withinMs, `${replacement ? 'the replacement of ' : ''}listener ${index} (pid ${String(child.pid)}) did not listen`)
    const ready = await channel.ask('start', { config: this.s.config(index, this.socketFor(index, port), replacement, this.join) }, { timeoutMs: withinMs, onTimeout })
    return { child, channel, ready }
  }

  async askAll (op: ListenerOp, withinMs: number): Promise<Map<number, ListenerSnapshot>> {
    const members = [...this.members.entries()]
    const settled = await Promise.allSettled(members.map(([, m]) => {
      if (op === 'stop') this.s.expectExit(m.child)
      // A listener that does not answer is killed by its channel; the group names it among the silent ones.
      return m.channel.ask(op, {}, { timeoutMs: withinMs, onTimeout: () => new RunError('RB_PHASE_TIMEOUT', 'no answer') })
    }))
    const got = new Map<number, ListenerSnapshot>()
    settled.forEach((r, k) => { if (r.status === 'fulfilled') got.set(members[k]?.[0] ?? -1, r.value) })
    return got
  }

  async replace (index: number, busyMs: number, withinMs: number, onReady: () => void): Promise<ListenerSnapshot> {
    const old = this.members.get(index)
    if (old === undefined) throw new RunError('RB_LISTENER_DIED', `${this.s.opts.mode}: no listener ${index} to restart`)
    const end = Date.now() + withinMs
    const fresh = await this.startOne(index, this.port, withinMs, true)
    this.members.set(index, fresh)
    onReady()
    this.s.expectExit(old.child)
    const onTimeout = (): Error => new PhaseTimeoutError('restart', this.s.label, withinMs, `the old listener ${index} (pid ${String(old.child.pid)}) did not drain`)
    const final = await old.channel.ask('drain', { busyMs }, { timeoutMs: Math.max(1, end - Date.now()), onTimeout })
    // It has sent its final figures; one that does not exit in the time left is killed.
    await reap(old.child, Math.max(1, end - Date.now()))
    return final
  }

  whoServes (index: number): { pid: number | undefined, via: string } {
    return { pid: this.members.get(index)?.child.pid, via: '' }
  }

  release (): void {
    this.onRelease?.()
  }
}
