/**
 * A group of listener processes serving one port in one mode. The mode's
 * listener kind (topology/kinds/) starts the processes; the group supervises
 * them: every wait has a deadline, and one that is missed names the
 * listeners (index and pid) that did not answer; a listener that dies
 * unexpectedly is reported once; a rolling restart replaces one at a time;
 * stop asks for final figures, then kills whoever is left. Every child is
 * also killed when this process exits, however it exits (proc/children.ts).
 */
import { fork } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { startDeadlineMs, startDeadlineText } from './startDeadline.js'
import type { RunSampleTarget, SampleTarget, Sampler } from '../collect/samplers/sampler.js'
import { beginSamplers } from '../collect/samplers/index.js'
import type { ChildProcess, StdioOptions } from 'node:child_process'
import { HarnessError, InterruptedError, PhaseTimeoutError, RunError, UsageError } from '../errors.js'
import { pin } from '../proc/pinning.js'
import { ProtocolChannel } from '../ipc/protocol.js'
import type { ReplyShapes } from '../ipc/protocol.js'
import type { Protocol } from '../types/protocol.js'
import { capabilities } from '../native/index.js'
import { judgeGroupSignal, lastStderrLine, track } from '../proc/children.js'
import type { ListenerConfig, ListenerSnapshot, SocketSource, StopResult } from '../types/listener.js'
import type { ReuseChoice } from '../types/run.js'
import type { Steering, SteeringIds } from '../types/native.js'
import type { CellListeners } from './side.js'
import { listenerKind } from './kinds/index.js'
import { claimPort } from './portClaim.js'
import type { GroupOptions, ListenerKind, ListenerOp, RunningListeners, Spawner } from './kinds/kind.js'
import { childExecArgv } from '../proc/node.js'
import { missingFeature } from '../kernel/features.js'

export type { GroupOptions }

/**
 * The steering a listener is started with: a classic program on listener 0 alone (not on its replacement);
 * eBPF objects made by listener 0 and joined by every other listener and every replacement.
 */
function steeringOf (steer: Steering | undefined, index: number, replacement: boolean, socket: SocketSource, join: SteeringIds | undefined): { steer?: Steering } {
  if (steer === undefined || socket.kind !== 'own') return {}
  const creator = index === 0 && !replacement
  if (steer.kind !== 'ebpf') return creator ? { steer } : {}
  if (creator) return { steer }
  return join === undefined ? {} : { steer: { ...steer, join } }
}

export class ListenerGroup implements Spawner, CellListeners {
  readonly mode: string
  readonly workers: number
  /** Final stats of listeners replaced by a rolling restart. */
  readonly retired: ListenerSnapshot[] = []
  private running: RunningListeners | undefined
  private readonly procs: ChildProcess[] = []
  /** Each process's channel, to let it go (`kill`). */
  private readonly channels: Array<{ close: (graceMs: number) => Promise<void> }> = []
  private readonly expected = new Set<ChildProcess>()
  private startFailure: ((e: Error) => void) | undefined
  private deathListeners: Array<(e: HarnessError) => void> = []
  private stopping = false
  readonly choice: ReuseChoice

  private constructor (readonly opts: GroupOptions, kind: ListenerKind) {
    this.mode = opts.mode
    this.workers = kind.workers ?? opts.workers
    this.choice = kind.choose(capabilities(), opts.node?.version ?? process.version, missingFeature)
  }

  /** Starts the listeners and resolves once every one of them is listening. */
  static async start (opts: GroupOptions, timeoutMs = startDeadlineMs(opts.workers, availableParallelism()), signal?: AbortSignal): Promise<ListenerGroup> {
    const kind = listenerKind(opts.mode)
    const g = new ListenerGroup(opts, kind)
    const failed = new Promise<never>((_resolve, reject) => { g.startFailure = reject })
    const who = (): string => `${g.procs.length === 0 ? 'no listener' : `listener processes ${g.procs.map(c => String(c.pid)).join(', ')}`} not all listening; ${startDeadlineText(g.workers, availableParallelism())}`
    const timer = setTimeout(() => g.startFailure?.(new PhaseTimeoutError('start', g.label, timeoutMs, who())), timeoutMs)
    const onAbort = (): void => g.startFailure?.(new InterruptedError(String(signal?.reason ?? 'signal')))
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      if (signal?.aborted === true) onAbort()
      await Promise.race([claimPort(opts.port), failed]) // a fixed port is this process's until it exits (the CLI has claimed it already)
      g.running = await Promise.race([kind.launch(g, g.choice), failed])
    } catch (err) {
      await g.kill()
      throw err
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      g.startFailure = undefined
    }
    return g
  }

  get port (): number {
    return this.running?.port ?? 0
  }

  /** How errors name this group: the cell, or the mode. */
  get label (): string {
    return this.opts.label ?? this.mode
  }

  /** The pid serving each listener index. */
  get pids (): Map<number, number> {
    const m = new Map<number, number>()
    for (let i = 0; i < this.workers; i++) {
      const pid = this.running?.whoServes(i).pid
      if (pid !== undefined) m.set(i, pid)
    }
    return m
  }

  /** The kind's processes that work for the listeners without serving an index (the cluster primary). */
  get helperPids (): number[] {
    return this.running?.helperPids?.() ?? []
  }

  processes (): number[] {
    return [...this.pids.values(), ...this.helperPids]
  }

  /** What the cell samplers look at: this group's port and processes (as they are now, through a restart), sampled every `sampleMs`. */
  sampleTarget (sampleMs: number): SampleTarget {
    const protocol = this.opts.protocol
    return { port: this.port, pids: [...this.pids.values()], helpers: this.helperPids, sampleMs, pidsNow: () => [...this.pids.values()], ...(protocol === undefined ? {} : { protocol }) }
  }

  async beginSamples (sampleMs: number, samplers: readonly Sampler[], extra: RunSampleTarget = {}): Promise<() => Promise<Record<string, unknown>>> {
    const end = beginSamplers('cell', { ...this.sampleTarget(sampleMs), ...extra }, samplers)
    return async () => end()
  }

  // Spawner: what a listener kind starts its processes with.

  spawn<P extends Protocol> (script: string, name: string, replies: ReplyShapes<P>, inheritFd?: number): { child: ChildProcess, channel: ProtocolChannel<P> } {
    const stdio: StdioOptions = ['ignore', 'ignore', 'pipe', 'ipc']
    if (inheritFd !== undefined) stdio.push(inheritFd)
    const child = track(fork(script, [], { stdio, serialization: 'json', execArgv: childExecArgv(), ...(this.opts.node === undefined ? {} : { execPath: this.opts.node.path }) }))
    this.procs.push(child)
    // Before it starts listening; what it forks (the cluster primary's workers) inherits the set.
    pin(child.pid, this.opts.cpus ?? null, `${this.mode} ${name}`)
    const channel = new ProtocolChannel<P>(child, `${this.mode} ${name}`).checkReplies(replies)
    this.channels.push(channel)
    child.on('exit', (code, signal) => {
      // A child its channel killed (it missed a deadline) has already failed its request: that is no second, unexpected death.
      if (this.stopping || this.expected.has(child) || channel.killed) return
      const tail = lastStderrLine(child)
      // Exit 2 is a listener's way of saying the input was bad (a --handler that throws): its own line is the error.
      if (code === 2 && tail !== '') {
        this.died(new UsageError(tail.replace(/^Error: /, '')))
        return
      }
      const death = new RunError('RB_LISTENER_DIED', `${this.mode}: listener process ${child.pid ?? '?'} exited unexpectedly (code ${String(code)}, signal ${String(signal)})${tail === '' ? '' : `: ${tail}`}`)
      // Ended by a group signal before it could ignore one: part of the stop that signal asked for (a start under way ends as interrupted).
      const judged = judgeGroupSignal(signal, stop => {
        if (stop !== undefined) this.startFailure?.(new InterruptedError(stop))
        else if (!this.stopping) this.died(death)
      })
      if (!judged) this.died(death)
    })
    return { child, channel }
  }

  expectExit (child: ChildProcess): void {
    this.expected.add(child)
  }

  config (index: number, socket: SocketSource, replacement = false, join?: SteeringIds): ListenerConfig {
    const { mode, instrument, workUs, stall, steer, handler, attribution, protocol, udpConnect } = this.opts
    return {
      index,
      mode,
      socket,
      instrument,
      workUs: workUs ?? 0,
      ...(handler === undefined ? {} : { handler }),
      ...(attribution === false ? { attribution } : {}),
      ...(protocol === undefined ? {} : { protocol }),
      ...(udpConnect === true ? { udpConnect } : {}),
      ...(stall !== undefined && stall.index === index ? { stall: { forMs: stall.forMs, everyMs: stall.everyMs } } : {}),
      ...steeringOf(steer, index, replacement, socket, join)
    }
  }

  /** "listener 1 (pid 123), listener 3 (pid 456)" for these indexes. */
  describe (indexes: readonly number[]): string {
    if (indexes.length === 0) return 'no listener'
    return indexes.map(i => {
      const who = this.running?.whoServes(i) ?? { pid: undefined, via: '' }
      return `listener ${i} (pid ${who.pid === undefined ? '?' : String(who.pid)}${who.via})`
    }).join(', ')
  }

  private died (err: HarnessError): void {
    if (this.startFailure !== undefined) {
      this.startFailure(err)
      return
    }
    for (const l of this.deathListeners) l(err)
  }

  /** Called (once per death) when a listener dies while the group is not stopping. */
  onDeath (cb: (e: HarnessError) => void): void {
    this.deathListeners.push(cb)
  }

  /** Asks every listener; the answers in index order, and the indexes that did not answer in `timeoutMs`. */
  private async ask (op: ListenerOp, timeoutMs: number): Promise<{ snapshots: ListenerSnapshot[], silent: number[] }> {
    const got = await (this.running?.askAll(op, timeoutMs) ?? Promise.resolve(new Map<number, ListenerSnapshot>()))
    const all = [...Array(this.workers).keys()]
    return { snapshots: all.flatMap(i => got.get(i) ?? []), silent: all.filter(i => !got.has(i)) }
  }

  /** Sends stats/reset/stop to every listener and waits for each one's stats; `phase` names the wait in a timeout. */
  async request (op: ListenerOp, timeoutMs = 5000, phase: string = op): Promise<ListenerSnapshot[]> {
    const { snapshots, silent } = await this.ask(op, timeoutMs)
    if (silent.length > 0) throw new PhaseTimeoutError(phase, this.label, timeoutMs, `${this.describe(silent)} did not answer`)
    return snapshots
  }

  /**
   * Replaces listener `index` as a deploy would: start the new process, wait
   * until it listens, then drain the old one (it stops accepting, finishes its
   * requests, closes its connections). The old one's final stats are kept in
   * `retired`. Resolves with the time the old listener took to drain.
   */
  async restart (index: number, busyMs = 0, timeoutMs = 12_000 + busyMs): Promise<{ drainMs: number }> {
    if (this.running === undefined) throw new RunError('RB_LISTENER_DIED', `${this.mode}: not running`)
    let t0 = Date.now()
    const final = await this.running.replace(index, busyMs, timeoutMs, () => { t0 = Date.now() })
    this.retired.push(final)
    return { drainMs: Date.now() - t0 }
  }

  /**
   * Stops the listeners: each sends its final stats and exits; whoever has not
   * answered and exited after `graceMs` is killed. Resolves with the final
   * stats of those that answered, and the ones that did not (empty when all did).
   */
  async stop (graceMs = 2000): Promise<StopResult> {
    this.stopping = true
    const { snapshots, silent } = await this.ask('stop', graceMs)
    await this.kill(graceMs)
    return { snapshots, missing: silent.length === 0 ? '' : this.describe(silent) }
  }

  /**
   * Ends every process of the group and waits for them: each is let go (its IPC channel closed, on which a
   * listener, a primary or a threads host exits at once), and whoever is still there after `graceMs` is killed.
   * Without the letting go, every process waited out the whole grace (2 s at the end of each configuration).
   */
  async kill (graceMs = 0): Promise<void> {
    this.stopping = true
    this.running?.release()
    await Promise.all(this.channels.map(async c => await c.close(graceMs)))
  }
}
