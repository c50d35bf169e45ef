/**
 * Node's cluster round-robin: a primary process (workers/cluster-primary.js)
 * forks the listeners, accepts every connection itself and hands them out in
 * turn. The primary answers for all its workers over one channel.
 */
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PhaseTimeoutError, RunError } from '../../errors.js'
import type { ProtocolChannel } from '../../ipc/protocol.js'
import type { ListenerSnapshot, PrimaryProtocol } from '../../types/listener.js'
import { START_BACKSTOP_MS } from './kind.js'
import type { ListenerKind, ListenerOp, RunningListeners, Spawner } from './kind.js'

const CLUSTER_PRIMARY = fileURLToPath(new URL('../../../workers/cluster-primary.js', import.meta.url))
/** How much sooner than the group's deadline the primary must answer, so that its partial answer arrives in time. */
const MARGIN_MS = 200

class ClusterListeners implements RunningListeners {
  port = 0
  private readonly pids = new Map<number, number>()

  constructor (private readonly s: Spawner, private readonly child: ChildProcess, private readonly channel: ProtocolChannel<PrimaryProtocol>) {}

  async start (): Promise<this> {
    const { stall } = this.s.opts
    // Each worker's stall is the primary's to set (by index), not listener 0's.
    const { stall: _stall, ...listener } = this.s.config(0, { kind: 'listen', host: this.s.opts.host, port: this.s.opts.port, backlog: this.s.opts.backlog })
    const req = { workers: this.s.workers, listener, ...(stall === undefined ? {} : { stall }) }
    const onTimeout = (): Error => new PhaseTimeoutError('start', this.s.label, START_BACKSTOP_MS, `the cluster primary (pid ${String(this.child.pid)}) did not start its workers`)
    const readies = await this.channel.ask('start', req, { timeoutMs: START_BACKSTOP_MS, onTimeout })
    for (const r of readies) this.pids.set(r.index, r.pid)
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
    const onTimeout = (): Error => new PhaseTimeoutError('restart', this.s.label, withinMs, `the replacement of listener ${index} (forked by the cluster primary pid ${String(this.child.pid)}) did not listen and drain the old one`)
    return await this.channel.ask('restart', { index, busyMs }, {
      timeoutMs: withinMs,
      onTimeout,
      onEvent: e => { this.pids.set(index, e.ready.pid); onReady() }
    })
  }

  whoServes (index: number): { pid: number | undefined, via: string } {
    const pid = this.pids.get(index)
    return pid === undefined ? { pid: this.child.pid, via: ' via the cluster primary' } : { pid, via: '' }
  }

  helperPids (): number[] {
    return this.child.pid === undefined ? [] : [this.child.pid]
  }

  release (): void {}
}

export const cluster: ListenerKind = {
  mode: 'cluster',
  description: "Node's cluster: the primary accepts and hands connections out round-robin",
  reuseportGroup: false,
  choose: () => ({ reuseport: false, reuseportLb: false, option: 'cluster (round-robin)', note: '' }),
  launch: async s => {
    const { child, channel } = s.spawn<PrimaryProtocol>(CLUSTER_PRIMARY, 'the cluster primary')
    return await new ClusterListeners(s, child, channel).start()
  }
}
