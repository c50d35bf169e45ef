/**
 * A group of listener processes serving one port in one mode. Starts them,
 * asks them for stats over the typed IPC protocol, notices when one dies, and
 * stops them (gracefully, then with SIGKILL). Every child ever started is also
 * killed when this process exits, however it exits.
 */
import { fork } from 'node:child_process'
import type { ChildProcess, StdioOptions } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { errnoCode, RunError, UsageError } from '../errors.js'
import { capabilities, closeSocket, openSocket } from '../native/index.js'
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
}

export interface ListenerSnapshot { index: number, pid: number, stats: ListenerStats }

const LISTENER = fileURLToPath(new URL('../../workers/listener.js', import.meta.url))
const CLUSTER_PRIMARY = fileURLToPath(new URL('../../workers/cluster-primary.js', import.meta.url))

/** Every child process started by any group, killed when this process exits. */
const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of live) {
    try { c.kill('SIGKILL') } catch {}
  }
})

/** Number of child processes that are still running. */
export function liveChildren (): number {
  return live.size
}

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
  private readonly procs: ChildProcess[] = []
  private readonly stderrTail = new Map<ChildProcess, string>()
  private readonly pending = new Map<number, Pending>()
  private readonly ready = new Map<number, (port: number) => void>()
  private startFailure: ((e: Error) => void) | undefined
  private deathListeners: Array<(e: RunError) => void> = []
  private stopping = false
  private seq = 0
  private readonly opts: GroupOptions

  private constructor (opts: GroupOptions) {
    this.opts = opts
    this.mode = opts.mode
    this.workers = opts.mode === 'single' ? 1 : opts.workers
  }

  /** Starts the listeners and resolves once every one of them is listening. */
  static async start (opts: GroupOptions, timeoutMs = 10_000 + 300 * opts.workers): Promise<ListenerGroup> {
    const g = new ListenerGroup(opts)
    const failed = new Promise<never>((_resolve, reject) => { g.startFailure = reject })
    const timer = setTimeout(() => g.startFailure?.(new RunError('RB_LISTENER_TIMEOUT', `${opts.mode}: listeners not ready after ${timeoutMs} ms`)), timeoutMs)
    try {
      await Promise.race([g.launch(), failed])
    } catch (err) {
      await g.kill()
      throw err
    } finally {
      clearTimeout(timer)
      g.startFailure = undefined
    }
    return g
  }

  private async launch (): Promise<void> {
    const { mode, host, port, backlog, instrument } = this.opts
    const base = { mode, instrument }
    if (mode === 'reuseport' || mode === 'reuseport-plain' || mode === 'single') {
      const { reuseport, reuseportLb } = reuseChoice(mode, capabilities())
      const socket = (p: number): SocketSource => ({ kind: 'own', host, port: p, reuseport, reuseportLb, backlog })
      // The first listener picks the port (when 0); the rest join its group.
      this.port = await this.spawnListener({ ...base, index: 0, socket: socket(port) })
      const rest: Array<Promise<number>> = []
      for (let i = 1; i < this.workers; i++) rest.push(this.spawnListener({ ...base, index: i, socket: socket(this.port) }))
      await Promise.all(rest)
    } else if (mode === 'shared') {
      let fd: number
      try {
        fd = openSocket({ host, port, reuseaddr: true, backlog })
      } catch (err) {
        if (errnoCode(err) === 'EADDRINUSE') throw portInUse(host, port)
        throw new RunError('RB_LISTENER_START', `shared: ${err instanceof Error ? err.message : String(err)}`)
      }
      try {
        const all: Array<Promise<number>> = []
        // The socket is handed down as fd 4 (stdio slot 4) to every listener.
        for (let i = 0; i < this.workers; i++) all.push(this.spawnListener({ ...base, index: i, socket: { kind: 'inherited', fd: 4 } }, fd))
        this.port = (await Promise.all(all))[0] ?? 0
      } finally {
        closeSocket(fd) // the children hold their own copies
      }
    } else {
      const listener: ListenerConfig = { ...base, index: 0, socket: { kind: 'cluster', host, port } }
      const ports: Array<Promise<number>> = []
      for (let i = 0; i < this.workers; i++) ports.push(new Promise(resolve => this.ready.set(i, resolve)))
      this.spawn(CLUSTER_PRIMARY, { workers: this.workers, listener })
      this.port = (await Promise.all(ports))[0] ?? 0
    }
  }

  private spawnListener (config: ListenerConfig, inheritFd?: number): Promise<number> {
    const ready = new Promise<number>(resolve => this.ready.set(config.index, resolve))
    this.spawn(LISTENER, config, inheritFd)
    return ready
  }

  private spawn (script: string, config: unknown, inheritFd?: number): ChildProcess {
    const stdio: StdioOptions = ['ignore', 'ignore', 'pipe', 'ipc']
    if (inheritFd !== undefined) stdio.push(inheritFd)
    const child = fork(script, [], { env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) }, stdio, serialization: 'json' })
    live.add(child)
    this.procs.push(child)
    this.stderrTail.set(child, '')
    child.stderr?.on('data', (d: Buffer) => {
      this.stderrTail.set(child, ((this.stderrTail.get(child) ?? '') + d.toString()).slice(-2000))
    })
    child.on('message', (m: unknown) => { if (isListenerMessage(m)) this.onMessage(m) })
    child.on('exit', (code, signal) => {
      live.delete(child)
      if (this.stopping) return
      const tail = (this.stderrTail.get(child) ?? '').trim().split('\n').filter(Boolean).pop()
      const msg = `${this.mode}: listener process ${child.pid ?? '?'} exited unexpectedly (code ${String(code)}, signal ${String(signal)})${tail === undefined ? '' : `: ${tail}`}`
      this.died(new RunError('RB_LISTENER_DIED', msg))
    })
    return child
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

  private broadcast (m: ControlMessage): void {
    for (const c of this.procs) {
      if (c.connected) c.send(m)
    }
  }

  /** Sends stats/reset/stop to every listener and waits for each one's stats. */
  request (type: ControlMessage['type'], timeoutMs = 5000): Promise<ListenerSnapshot[]> {
    const seq = ++this.seq
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq)
        reject(new RunError('RB_LISTENER_TIMEOUT', `${this.mode}: listeners did not answer '${type}' within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(seq, { want: this.workers, got: new Map(), resolve, reject, timer })
      this.broadcast({ type, seq })
    })
  }

  /**
   * Stops the listeners: each sends its final stats and exits; whoever has not
   * exited after `graceMs` is killed. Resolves with the final stats when all
   * listeners answered, undefined otherwise.
   */
  async stop (graceMs = 2000): Promise<ListenerSnapshot[] | undefined> {
    this.stopping = true
    let final: ListenerSnapshot[] | undefined
    try {
      final = await this.request('stop', graceMs)
    } catch {
      final = undefined
    }
    await this.kill(graceMs)
    return final
  }

  /** Kills every process of the group (after `graceMs` for ones already exiting) and waits for them. */
  async kill (graceMs = 0): Promise<void> {
    this.stopping = true
    const waits = this.procs.filter(c => c.exitCode === null && c.signalCode === null).map(c => new Promise<void>(resolve => {
      c.once('exit', () => resolve())
      const t = setTimeout(() => { try { c.kill('SIGKILL') } catch {} }, graceMs)
      c.once('exit', () => clearTimeout(t))
    }))
    await Promise.all(waits)
  }
}
