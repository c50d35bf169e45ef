/**
 * The orchestrator's end of one remote host: its control side started through
 * the transport prefix, spoken to with the one request/reply helper over JSON
 * lines on the transport's stdio. On connect it asks who the host is (hello)
 * and reads its clock against ours (the shortest of a few round trips). A
 * transport that exits fails every waiting request at once, and anyone
 * watching is told, with a line that names the host. Closing ends its stdin,
 * so the remote side ends what it started and exits; the transport is killed
 * if it has not gone by then.
 */
import { ProtocolChannel } from '../ipc/protocol.js'
import type { OpOf } from '../types/protocol.js'
import { lineWire } from '../ipc/wire.js'
import { HarnessError, PhaseTimeoutError, RunError } from '../errors.js'
import { lastStderrLine, spawnTracked } from '../proc/children.js'
import { controlArgv } from './transport.js'
import { MAX_LINE_BYTES, wallClockMs } from './control.js'
import type { ClockSkew, ControlRole, Hello, HostRecord, RemoteProtocol } from '../types/remote.js'
import { COMMON_REPLIES } from './replies.js'
import type { RemoteReplies } from './replies.js'

const round3 = (x: number): number => Math.round(x * 1000) / 1000

/** Round trips taken to read a host's clock. */
const CLOCK_ROUNDS = 5

export interface AskOptions<E = never> { timeoutMs: number, phase: string, signal?: AbortSignal, onEvent?: (e: E) => void }

export class RemoteHost {
  private readonly channel: ProtocolChannel<RemoteProtocol>
  private closing = false
  private readonly lostListeners: Array<(e: HarnessError) => void> = []
  hello: Hello | undefined
  clock: ClockSkew = { offsetMs: 0, rttMs: 0 }

  private constructor (readonly via: string, readonly role: ControlRole, remoteCommand: string | null, handler: string | null, replies: RemoteReplies) {
    const [cmd = '', ...args] = controlArgv(via, remoteCommand, role, handler)
    const child = spawnTracked(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    if (child.stdin === null || child.stdout === null) throw new RunError('RB_HOST_LOST', `${this.name}: no stdio`)
    // A line that is not JSON from the remote side (a login banner on stdout) is ignored, not fatal; its
    // answers can be long (every listener's histogram, the accept-queue series of every socket), hence 64 MiB.
    const wire = lineWire(child.stdout, child.stdin, { maxLineBytes: 1024 * MAX_LINE_BYTES, onFault: () => {} })
    this.channel = new ProtocolChannel<RemoteProtocol>(child, this.name, wire, 'RB_HOST_LOST').checkReplies({ ...COMMON_REPLIES, ...replies })
    child.once('exit', (code, signal) => {
      if (this.closing || this.channel.killed) return
      const tail = lastStderrLine(child)
      const err = new RunError('RB_HOST_LOST', `${this.name} was lost: its transport exited (code ${String(code)}, signal ${String(signal)})${tail === '' ? '' : `: ${tail}`}`)
      for (const l of this.lostListeners) l(err)
    })
  }

  /** "server host 'ip netns exec rb-s'": how errors and progress name this host. */
  get name (): string {
    return `${this.role === 'server' ? 'server' : 'client'} host '${this.via}'`
  }

  /**
   * Starts the control side through `via` (allowed to load `handler`, if any) and waits (within `timeoutMs`) for its
   * hello and clock; every reply it gives is checked against `replies` (its role's operations) and the common shapes.
   */
  static async connect (via: string, role: ControlRole, start: { remoteCommand: string | null, handler: string | null, replies: RemoteReplies }, timeoutMs: number, signal?: AbortSignal): Promise<RemoteHost> {
    const h = new RemoteHost(via, role, start.remoteCommand, start.handler, start.replies)
    try {
      const o = { timeoutMs, phase: 'connect', ...(signal === undefined ? {} : { signal }) }
      h.hello = await h.ask('hello', {}, o)
      if (h.hello.role !== role) throw new RunError('RB_HOST_LOST', `${h.name} answered as a ${h.hello.role} side`)
      await h.readClock(o)
    } catch (err) {
      await h.close(200)
      throw err
    }
    return h
  }

  /**
   * One request, answered within `o.timeoutMs` (else the transport is killed and the request fails naming
   * the host and phase). An error the host answers with is said as coming from it, with its own code.
   */
  async ask<K extends OpOf<RemoteProtocol>> (op: K, fields: RemoteProtocol[K]['request'], o: AskOptions<RemoteProtocol[K]['event']>): Promise<RemoteProtocol[K]['reply']> {
    try {
      return await this.channel.ask(op, fields, {
        timeoutMs: o.timeoutMs,
        onTimeout: () => new PhaseTimeoutError(o.phase, this.name, o.timeoutMs, 'no answer'),
        onAbort: () => new RunError('RB_INTERRUPTED', `${this.name}: ${o.phase} stopped`),
        ...(o.signal === undefined ? {} : { signal: o.signal }),
        ...(o.onEvent === undefined ? {} : { onEvent: o.onEvent })
      })
    } catch (err) {
      if (!(err instanceof HarnessError) || err.message.includes(this.name)) throw err
      throw new HarnessError(err.code, `${this.name}: ${err.message}`, err.exitCode, { cause: err })
    }
  }

  /** Reads the host's clock minus ours again (into `clock`), from the round trip that took least time. */
  async readClock (o: AskOptions): Promise<ClockSkew> {
    let best: ClockSkew | undefined
    for (let i = 0; i < CLOCK_ROUNDS; i++) {
      const t0 = wallClockMs()
      const r = await this.ask('clock', {}, o)
      const t1 = wallClockMs()
      if (best === undefined || t1 - t0 < best.rttMs) best = { offsetMs: round3(r.nowMs - (t0 + t1) / 2), rttMs: round3(t1 - t0) }
    }
    this.clock = best ?? { offsetMs: 0, rttMs: 0 }
    return this.clock
  }

  /** Called once if the transport exits while the host is in use. */
  onLost (cb: (e: HarnessError) => void): () => void {
    this.lostListeners.push(cb)
    return () => { const i = this.lostListeners.indexOf(cb); if (i >= 0) this.lostListeners.splice(i, 1) }
  }

  /** What a cell records of this host. */
  record (): HostRecord {
    if (this.hello === undefined) throw new RunError('RB_HOST_LOST', `${this.name} never said hello`)
    return { via: this.via, version: this.hello.version, facts: this.hello.facts, clock: this.clock }
  }

  /** Ends the remote side (its stdin closes); the transport is killed after `graceMs` if still there. */
  async close (graceMs = 3000): Promise<void> {
    this.closing = true
    await this.channel.close(graceMs)
  }
}
