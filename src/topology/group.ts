/**
 * A group of listener processes serving one port in one mode. Starts them,
 * asks them for stats over the typed IPC protocol, replaces one at a time (a
 * rolling restart), notices when one dies, and stops them (gracefully, then
 * with SIGKILL). Every wait has a deadline; one that is missed names the
 * listeners (index and pid) that did not answer. Every child is also killed
 * when this process exits, however it exits (proc/children.ts).
 */
import { fork } from 'node:child_process'
import type { ChildProcess, StdioOptions } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { errnoCode, InterruptedError, PhaseTimeoutError, RunError, UsageError } from '../errors.js'
import { capabilities, closeSocket, openSocket } from '../native/index.js'
import type { Steering } from '../native/index.js'
import { withDeadline as deadline } from '../deadlines.js'
import { hasExited, lastStderrLine, reap, track } from '../proc/children.js'
import { CONFIG_ENV, isListenerMessage } from '../protocol.js'
import type { ControlMessage, ListenerConfig, ListenerMessage, ListenerStats, Mode, SocketSource } from '../protocol.js'
import { portInUse } from './address.js'
import { reuseChoice } from './options.js'

export interface GroupOptions {
  mode: Mode
  workers: number
  host: string
  /** 0 picks a free port. */
  port: number
  backlog: number
  instrument: boolean
  /** Busy work per request, microseconds. */
  workUs?: number
  /** Listener `index` blocks its event loop for `forMs` every `everyMs`. */
  stall?: { index: number, forMs: number, everyMs: number }
  /** A steering program for the reuseport group (attached by listener 0). */
  steer?: Steering
  /** How errors name this group (e.g. the cell: 'reuseport (4 workers, 50 connections)'); the mode by default. */
  label?: string
}

export interface ListenerSnapshot { index: number, pid: number, stats: ListenerStats }

/** What `stop` got: the final figures of the listeners that answered, and who did not. */
export interface StopResult { snapshots: ListenerSnapshot[], missing: string }

const LISTENER = fileURLToPath(new URL('../../workers/listener.js', import.meta.url))
const CLUSTER_PRIMARY = fileURLToPath(new URL('../../workers/cluster-primary.js', import.meta.url))

interface Pending {
  want: number
  got: Map<number, ListenerSnapshot>
  resolve: (s: ListenerSnapshot[]) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
}

export class ListenerGroup {
  readonly mode: Mode
  readonly workers: number
  port = 0
  readonly pids = new Map<number, number>()
  /** Final stats of listeners replaced by a rolling restart. */
  readonly retired: ListenerSnapshot[] = []
  private readonly procs: ChildProcess[] = []
  /** The process serving each listener index (the cluster primary, for every index, in cluster mode). */
  private readonly byIndex = new Map<number, ChildProcess>()
  private readonly retiring = new Set<ChildProcess>()
  private readonly pending = new Map<number, Pending>()
  private readonly ready = new Map<number, (port: number) => void>()
  private startFailure: ((e: Error) => void) | undefined
  private deathListeners: Array<(e: RunError) => void> = []
  private stopping = false
  private seq = 0
  private sharedFd = -1
  private readonly opts: GroupOptions

  private constructor (opts: GroupOptions) {
    this.opts = opts
    this.mode = opts.mode
    this.workers = opts.mode === 'single' ? 1 : opts.workers
  }

  /** Starts the listeners and resolves once every one of them is listening. */
  static async start (opts: GroupOptions, timeoutMs = 10_000 + 300 * opts.workers, signal?: AbortSignal): Promise<ListenerGroup> {
    const g = new ListenerGroup(opts)
    const failed = new Promise<never>((_resolve, reject) => { g.startFailure = reject })
    const timer = setTimeout(() => g.startFailure?.(new PhaseTimeoutError('start', opts.label ?? opts.mode, timeoutMs, `${g.describe([...g.ready.keys()])} not listening`)), timeoutMs)
    const onAbort = (): void => g.startFailure?.(new InterruptedError(String(signal?.reason ?? 'signal')))
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      if (signal?.aborted === true) onAbort()
      await Promise.race([g.launch(), failed])
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

  /** The configuration of listener `index` (the same for its replacements). */
  private config (index: number, socket: SocketSource): ListenerConfig {
    const { mode, instrument, workUs, stall, steer } = this.opts
    return {
      index,
      mode,
      socket,
      instrument,
      workUs: workUs ?? 0,
      ...(stall !== undefined && stall.index === index ? { stall: { forMs: stall.forMs, everyMs: stall.everyMs } } : {}),
      ...(steer !== undefined && index === 0 && socket.kind === 'own' ? { steer } : {})
    }
  }

  private ownSocket (port: number): SocketSource {
    const { reuseport, reuseportLb } = reuseChoice(this.mode, capabilities())
    return { kind: 'own', host: this.opts.host, port, reuseport, reuseportLb, backlog: this.opts.backlog }
  }

  private async launch (): Promise<void> {
    const { mode, host, port, backlog } = this.opts
    if (mode === 'reuseport' || mode === 'reuseport-plain' || mode === 'single') {
      // The first listener picks the port (when 0); the rest join its group.
      this.port = await this.spawnListener(this.config(0, this.ownSocket(port)))
      if (this.opts.steer !== undefined) {
        // A steering program picks sockets by their position in the group (join order): join in index order.
        for (let i = 1; i < this.workers; i++) await this.spawnListener(this.config(i, this.ownSocket(this.port)))
      } else {
        const rest: Array<Promise<number>> = []
        for (let i = 1; i < this.workers; i++) rest.push(this.spawnListener(this.config(i, this.ownSocket(this.port))))
        await Promise.all(rest)
      }
    } else if (mode === 'shared') {
      try {
        this.sharedFd = openSocket({ host, port, reuseaddr: true, backlog })
      } catch (err) {
        if (errnoCode(err) === 'EADDRINUSE') throw portInUse(host, port)
        throw new RunError('RB_LISTENER_START', `shared: ${err instanceof Error ? err.message : String(err)}`)
      }
      // The socket is handed down as fd 4 (stdio slot 4) to every listener; this
      // process keeps its copy for replacements and closes it in kill().
      const all: Array<Promise<number>> = []
      for (let i = 0; i < this.workers; i++) all.push(this.spawnListener(this.config(i, { kind: 'inherited', fd: 4 }), this.sharedFd))
      this.port = (await Promise.all(all))[0] ?? 0
    } else {
      const listener = this.config(0, { kind: 'cluster', host, port })
      const ports: Array<Promise<number>> = []
      for (let i = 0; i < this.workers; i++) ports.push(new Promise(resolve => this.ready.set(i, resolve)))
      const primary = this.spawn(CLUSTER_PRIMARY, { workers: this.workers, listener: { ...listener, stall: undefined }, stall: this.opts.stall })
      for (let i = 0; i < this.workers; i++) this.byIndex.set(i, primary)
      this.port = (await Promise.all(ports))[0] ?? 0
    }
  }

  private spawnListener (config: ListenerConfig, inheritFd?: number): Promise<number> {
    const ready = new Promise<number>(resolve => this.ready.set(config.index, resolve))
    this.byIndex.set(config.index, this.spawn(LISTENER, config, inheritFd))
    return ready
  }

  private spawn (script: string, config: unknown, inheritFd?: number): ChildProcess {
    const stdio: StdioOptions = ['ignore', 'ignore', 'pipe', 'ipc']
    if (inheritFd !== undefined) stdio.push(inheritFd)
    const child = track(fork(script, [], { env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) }, stdio, serialization: 'json' }))
    this.procs.push(child)
    child.on('message', (m: unknown) => { if (isListenerMessage(m)) this.onMessage(m) })
    child.on('exit', (code, signal) => {
      if (this.stopping || this.retiring.has(child)) return
      const tail = lastStderrLine(child)
      const msg = `${this.mode}: listener process ${child.pid ?? '?'} exited unexpectedly (code ${String(code)}, signal ${String(signal)})${tail === '' ? '' : `: ${tail}`}`
      this.died(new RunError('RB_LISTENER_DIED', msg))
    })
    return child
  }

  /** "listener 1 (pid 123), listener 3 (pid 456)" for these indexes. */
  describe (indexes: readonly number[]): string {
    if (indexes.length === 0) return 'no listener'
    return indexes.map(i => {
      const pid = this.pids.get(i) ?? this.byIndex.get(i)?.pid
      const via = this.mode === 'cluster' && !this.pids.has(i) ? ' via the cluster primary' : ''
      return `listener ${i} (pid ${pid === undefined ? '?' : String(pid)}${via})`
    }).join(', ')
  }

  private onMessage (m: ListenerMessage): void {
    if (m.type === 'ready') {
      this.pids.set(m.index, m.pid)
      this.ready.get(m.index)?.(m.port)
      this.ready.delete(m.index)
    } else if (m.type === 'stats') {
      const p = this.pending.get(m.seq)
      if (p === undefined) return
      p.got.set(m.index, { index: m.index, pid: m.pid, stats: m.stats })
      if (p.got.size >= p.want) {
        clearTimeout(p.timer)
        this.pending.delete(m.seq)
        p.resolve([...p.got.values()].sort((a, b) => a.index - b.index))
      }
    } else {
      const err = m.code === 'EADDRINUSE'
        ? portInUse(this.opts.host, this.opts.port)
        : m.code === 'ENOPROTOOPT'
          ? new UsageError(`${this.mode}: this OS does not support the socket option the mode needs (${m.message})`, 'RB_UNSUPPORTED')
          : new RunError(this.startFailure !== undefined ? 'RB_LISTENER_START' : 'RB_LISTENER_DIED', `${this.mode}: listener ${m.index}: ${m.message}`)
      if (this.startFailure !== undefined) this.startFailure(err)
      else if (!this.stopping) this.died(err instanceof RunError ? err : new RunError('RB_LISTENER_DIED', err.message))
    }
  }

  private died (err: RunError): void {
    if (this.startFailure !== undefined) {
      this.startFailure(err)
      return
    }
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.reject(err)
    }
    this.pending.clear()
    for (const l of this.deathListeners) l(err)
  }

  /** Called (once per death) when a listener dies while the group is not stopping. */
  onDeath (cb: (e: RunError) => void): void {
    this.deathListeners.push(cb)
  }

  /** Waits for `want` answers to `seq`; after `timeoutMs` fails naming the phase and the listeners among `from` that did not answer. */
  private expect (seq: number, want: number, phase: string, timeoutMs: number, from: readonly number[]): Promise<ListenerSnapshot[]> {
    return new Promise((resolve, reject) => {
      const got = new Map<number, ListenerSnapshot>()
      const timer = setTimeout(() => {
        this.pending.delete(seq)
        const silent = from.filter(i => !got.has(i))
        const err = new PhaseTimeoutError(phase, this.opts.label ?? this.mode, timeoutMs, `${this.describe(silent)} did not answer`)
        reject(Object.assign(err, { partial: [...got.values()].sort((a, b) => a.index - b.index) }))
      }, timeoutMs)
      this.pending.set(seq, { want, got, resolve, reject, timer })
    })
  }

  /** Sends stats/reset/stop to every listener and waits for each one's stats; `phase` names the wait in a timeout. */
  request (type: 'stats' | 'reset' | 'stop', timeoutMs = 5000, phase: string = type): Promise<ListenerSnapshot[]> {
    const seq = ++this.seq
    const answers = this.expect(seq, this.workers, phase, timeoutMs, [...Array(this.workers).keys()])
    const m: ControlMessage = { type, seq }
    for (const c of new Set(this.byIndex.values())) {
      if (c.connected) c.send(m)
    }
    return answers
  }

  /**
   * Replaces listener `index` as a deploy would: start the new process, wait
   * until it listens, then drain the old one (it stops accepting, finishes its
   * requests, closes its connections). The old one's final stats are kept in
   * `retired`. Resolves with the time the old listener took to drain.
   */
  async restart (index: number, busyMs = 0, timeoutMs = 12_000 + busyMs): Promise<{ drainMs: number }> {
    const old = this.byIndex.get(index)
    if (old === undefined) throw new RunError('RB_LISTENER_DIED', `${this.mode}: no listener ${index} to restart`)
    const end = Date.now() + timeoutMs
    const left = (): number => Math.max(1, end - Date.now())
    const seq = ++this.seq
    const finalStats = this.expect(seq, 1, 'restart', timeoutMs, [index])
    finalStats.catch(() => {}) // awaited below; a failure before then must not go unhandled
    const within = <T>(p: Promise<T>, who: string): Promise<T> => deadline(p, left(), () => new PhaseTimeoutError('restart', this.opts.label ?? this.mode, timeoutMs, who))
    let t0: number
    if (this.mode === 'cluster') {
      // The primary forks the replacement, waits for it to listen, then drains the old worker.
      const ready = new Promise<number>(resolve => this.ready.set(index, resolve))
      old.send({ type: 'restart', seq, index, busyMs } satisfies ControlMessage)
      await within(ready, `the replacement of listener ${index} (forked by the cluster primary pid ${String(old.pid)}) did not listen`)
      t0 = Date.now()
    } else {
      const socket: SocketSource = this.mode === 'shared' ? { kind: 'inherited', fd: 4 } : this.ownSocket(this.port)
      // A replacement of listener 0 does not attach the steering program again.
      const config = { ...this.config(index, socket), steer: undefined }
      await within(this.spawnListener(config, this.mode === 'shared' ? this.sharedFd : undefined), `the replacement of listener ${index} did not listen`)
      this.retiring.add(old)
      t0 = Date.now()
      old.send({ type: 'drain', seq, busyMs } satisfies ControlMessage)
    }
    const [snap] = await finalStats
    if (snap !== undefined) this.retired.push(snap)
    // It has sent its final figures; one that does not exit in the time left is killed.
    if (this.mode !== 'cluster') await reap(old, left())
    return { drainMs: Date.now() - t0 }
  }

  /**
   * Stops the listeners: each sends its final stats and exits; whoever has not
   * answered and exited after `graceMs` is killed. Resolves with the final
   * stats of those that answered, and the ones that did not (empty when all did).
   */
  async stop (graceMs = 2000): Promise<StopResult> {
    this.stopping = true
    let result: StopResult
    try {
      result = { snapshots: await this.request('stop', graceMs), missing: '' }
    } catch (err) {
      const partial = (err as { partial?: ListenerSnapshot[] }).partial ?? []
      const answered = new Set(partial.map(p => p.index))
      result = { snapshots: partial, missing: this.describe([...Array(this.workers).keys()].filter(i => !answered.has(i))) }
    }
    await this.kill(graceMs)
    return result
  }

  /** Kills every process of the group (after `graceMs` for ones already exiting) and waits for them. */
  async kill (graceMs = 0): Promise<void> {
    this.stopping = true
    if (this.sharedFd >= 0) {
      try { closeSocket(this.sharedFd) } catch {}
      this.sharedFd = -1
    }
    await Promise.all(this.procs.filter(c => !hasExited(c)).map(c => reap(c, graceMs)))
  }
}
