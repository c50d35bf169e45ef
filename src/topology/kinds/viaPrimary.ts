/**
 * Listeners run by one process of the kind's that answers for all of them
 * (topology/primary.ts): Node's cluster primary with its worker processes,
 * or the threads host with its worker threads. Its one channel carries every
 * request; it starts, asks and replaces its members itself.
 */
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PhaseTimeoutError, RunError } from '../../errors.js'
import type { ProtocolChannel } from '../../ipc/protocol.js'
import type { ListenerReady, ListenerSnapshot, PrimaryProtocol, SocketSource } from '../../types/listener.js'
import { START_BACKSTOP_MS } from './kind.js'
import { PRIMARY_REPLIES } from '../replies.js'
import type { ListenerOp, RunningListeners, Spawner } from './kind.js'

/** How much sooner than the group's deadline the primary must answer, so that its partial answer arrives in time. */
const MARGIN_MS = 200

/** Which primary, and what its members listen on. */
export interface PrimaryPlan {
  /** Its script under workers/ ('cluster-primary.js', 'threads-host.js'). */
  script: string
  /** How errors name it ('the cluster primary'). */
  name: string
  /** The socket every member listens on (port filled in by the first). */
  socket: SocketSource
  /** A cluster primary's scheduling ('rr' round-robin, 'none' the OS's choice). */
  schedule?: 'rr' | 'none'
  /** Members are threads of it: its own CPU is theirs, so it is no helper of its own. */
  threads?: true
}

class PrimaryListeners implements RunningListeners {
  port = 0
  private readonly ready = new Map<number, ListenerReady>()

  constructor (private readonly s: Spawner, private readonly plan: PrimaryPlan, private readonly child: ChildProcess, private readonly channel: ProtocolChannel<PrimaryProtocol>) {}

  async start (): Promise<this> {
    const { stall } = this.s.opts
    // Each member's stall is the primary's to set (by index), not listener 0's.
    const { stall: _stall, ...listener } = this.s.config(0, this.plan.socket)
    const req = { workers: this.s.workers, listener, ...(this.plan.schedule === undefined ? {} : { schedule: this.plan.schedule }), ...(stall === undefined ? {} : { stall }) }
    const onTimeout = (): Error => new PhaseTimeoutError('start', this.s.label, START_BACKSTOP_MS, `${this.plan.name} (pid ${String(this.child.pid)}) did not start its listeners`)
    const readies = await this.channel.ask('start', req, { timeoutMs: START_BACKSTOP_MS, onTimeout })
    for (const r of readies) this.ready.set(r.index, r)
    this.port = readies[0]?.port ?? 0
    return this
  }

  async askAll (op: ListenerOp, withinMs: number): Promise<Map<number, ListenerSnapshot>> {
    if (op === 'stop') this.s.expectExit(this.child)
    try {
      const snaps = await this.channel.ask(op, { withinMs: Math.max(1, withinMs - MARGIN_MS) }, { timeoutMs: withinMs, onTimeout: () => new RunError('RB_PHASE_TIMEOUT', 'no answer') })
      return new Map(snaps.map(x => [x.index, x]))
    } catch {
      return new Map()
    }
  }

  async replace (index: number, busyMs: number, withinMs: number, onReady: () => void): Promise<ListenerSnapshot> {
    const onTimeout = (): Error => new PhaseTimeoutError('restart', this.s.label, withinMs, `the replacement of listener ${index} (started by ${this.plan.name}, pid ${String(this.child.pid)}) did not listen and drain the old one`)
    return await this.channel.ask('restart', { index, busyMs }, {
      timeoutMs: withinMs,
      onTimeout,
      onEvent: e => { this.ready.set(index, e.ready); onReady() }
    })
  }

  whoServes (index: number): { pid: number | undefined, via: string } {
    const r = this.ready.get(index)
    if (r === undefined) return { pid: this.child.pid, via: ` via ${this.plan.name}` }
    return { pid: r.pid, via: r.tid === undefined ? '' : `, thread ${r.tid}` }
  }

  helperPids (): number[] {
    return this.plan.threads === true || this.child.pid === undefined ? [] : [this.child.pid]
  }

  release (): void {}
}

/** Starts the primary `plan` names and, through it, the group's listeners. */
export async function launchViaPrimary (s: Spawner, plan: PrimaryPlan): Promise<RunningListeners> {
  const script = fileURLToPath(new URL(`../../../workers/${plan.script}`, import.meta.url))
  const { child, channel } = s.spawn<PrimaryProtocol>(script, plan.name, PRIMARY_REPLIES)
  return await new PrimaryListeners(s, plan, child, channel).start()
}
