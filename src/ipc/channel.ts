/**
 * One request/reply helper for the channel to a child process (its Node IPC
 * channel, or JSON lines over its stdio: ipc/wire.ts): sequence numbers, a
 * deadline per request, events tied to a request (progress ticks, finished
 * cells), and every waiting request failed at once, with the child's last
 * stderr line, when the child exits. The child side answers with `serve`.
 */
import { ChildProcess } from 'node:child_process'
import { HarnessError, InterruptedError, RunError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import { judgeGroupSignal, lastStderrLine, reap } from '../proc/children.js'
import type { Peer } from '../types/peer.js'
import { childIpcWire, parentIpcWire } from './wire.js'
import type { Wire } from './wire.js'
import { fieldOf } from '../shape.js'

/** Parent -> child. */
export interface RequestEnvelope<Req> { rb: 'request', seq: number, body: Req }
/** Child -> parent: ready for requests (seq 0), an event during a request, or its one reply. */
export type ChildEnvelope<Ev, Rep> =
  | { rb: 'ready', seq: 0 }
  | { rb: 'event', seq: number, body: Ev }
  | { rb: 'reply', seq: number, ok: true, body: Rep }
  | { rb: 'reply', seq: number, ok: false, error: { code: string, message: string, exitCode: number } }

interface Waiting<Ev, Rep> {
  resolve: (r: Rep) => void
  reject: (e: Error) => void
  onEvent?: (e: Ev) => void
  timer: NodeJS.Timeout
}

export interface RequestOptions<Ev> {
  /** The request fails with `onTimeout()` when no reply came within this time; the child, in an unknown state, is killed. */
  timeoutMs: number
  onTimeout: () => Error
  onEvent?: (e: Ev) => void
  /** On abort the child is killed and the request fails with `onAbort()` at once. */
  signal?: AbortSignal
  onAbort?: () => Error
}

function isEnvelope (m: unknown): m is { rb: string, seq: number } {
  // A seq must be a whole number that survives a round trip through JSON (1e400 parses as Infinity and would come back as null).
  const seq = fieldOf(m, 'seq')
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 && typeof fieldOf(m, 'rb') === 'string'
}

/** A peer that is not a child process (a worker thread) brings its own wire. */
function wireOf (peer: Peer): Wire {
  if (peer instanceof ChildProcess) return childIpcWire(peer)
  throw new Error('a channel to a peer that is not a child process needs its wire')
}

/** The parent's end of a child's IPC channel (or of a worker thread's port). */
export class Channel<Req, Ev, Rep> {
  private seq = 0
  private readonly waiting = new Map<number, Waiting<Ev, Rep>>()
  /** Requests wait until the child says it listens (an ES module child registers its handler only after loading). */
  private readonly queued: Array<() => void> = []
  private isReady = false
  private killedByChannel = false

  /**
   * `wire`: how envelopes travel (the child's Node IPC channel by default); `lostCode`: the code of the
   * error every waiting request fails with when the child exits (a remote host's transport: RB_HOST_LOST).
   */
  constructor (readonly child: Peer, readonly name: string, private readonly wire: Wire = wireOf(child), private readonly lostCode: ErrorCode = 'RB_CHILD_EXITED') {
    wire.onMessage((m: unknown) => { if (isEnvelope(m)) this.onMessage(m as ChildEnvelope<Ev, Rep>) })
    child.once('exit', (code, signal) => {
      const tail = lastStderrLine(child)
      const lost = (): RunError => new RunError(lostCode, `${name} (pid ${String(child.pid)}) exited (code ${String(code)}, signal ${String(signal)})${tail === '' ? '' : `: ${tail}`}`)
      // Ended by a signal to the whole group (it was still starting): part of a stop if the same signal reached this process.
      const judged = judgeGroupSignal(signal, stop => this.failAll(stop === undefined ? lost() : new InterruptedError(stop)))
      if (!judged) this.failAll(lost())
    })
    child.once('error', err => this.failAll(new RunError(lostCode, `${name} could not start: ${err.message}`)))
  }

  /** Whether this channel killed its child (a missed deadline, an abort): its exit is then expected, not a death. */
  get killed (): boolean {
    return this.killedByChannel
  }

  get pid (): number {
    return this.child.pid ?? 0
  }

  /** SIGKILLs the child (it missed a deadline, or the run was aborted). */
  kill (): void {
    this.killedByChannel = true
    try { this.child.kill('SIGKILL') } catch {}
  }

  /** Ends the child: it exits when its channel closes; SIGKILL after `graceMs`. */
  async close (graceMs = 1000): Promise<void> {
    this.wire.end()
    await reap(this.child, graceMs)
  }

  request (body: Req, o: RequestOptions<Ev>): Promise<Rep> {
    const seq = ++this.seq
    const aborted = (): Error => o.onAbort?.() ?? new RunError('RB_INTERRUPTED', `${this.name} stopped: ${String(o.signal?.reason ?? 'aborted')}`)
    if (o.signal?.aborted === true) return Promise.reject(aborted())
    return new Promise<Rep>((resolve, reject) => {
      const onAbort = (): void => {
        this.kill()
        this.settle(seq, w => w.reject(aborted()))
      }
      const timer = setTimeout(() => {
        this.kill()
        this.settle(seq, w => w.reject(o.onTimeout()))
      }, o.timeoutMs)
      o.signal?.addEventListener('abort', onAbort, { once: true })
      const done = <T>(f: (x: T) => void) => (x: T): void => { o.signal?.removeEventListener('abort', onAbort); f(x) }
      this.waiting.set(seq, { resolve: done(resolve), reject: done(reject), timer, ...(o.onEvent === undefined ? {} : { onEvent: o.onEvent }) })
      const send = (): void => {
        if (!this.waiting.has(seq)) return
        if (!this.wire.open) {
          this.settle(seq, w => w.reject(new RunError(this.lostCode, `${this.name} (pid ${String(this.child.pid)}) is not running`)))
          return
        }
        this.wire.send({ rb: 'request', seq, body } satisfies RequestEnvelope<Req>)
      }
      if (this.isReady) send()
      else this.queued.push(send)
    })
  }

  private onMessage (m: ChildEnvelope<Ev, Rep>): void {
    if (m.rb === 'ready') {
      this.isReady = true
      for (const send of this.queued.splice(0)) send()
      return
    }
    if (m.rb === 'event') {
      this.waiting.get(m.seq)?.onEvent?.(m.body)
      return
    }
    if (m.rb !== 'reply') return
    if (m.ok) this.settle(m.seq, w => w.resolve(m.body))
    else this.settle(m.seq, w => w.reject(new HarnessError(m.error.code as ErrorCode, m.error.message, m.error.exitCode)))
  }

  private settle (seq: number, f: (w: Waiting<Ev, Rep>) => void): void {
    const w = this.waiting.get(seq)
    if (w === undefined) return
    this.waiting.delete(seq)
    clearTimeout(w.timer)
    f(w)
  }

  private failAll (err: Error): void {
    for (const seq of [...this.waiting.keys()]) this.settle(seq, w => w.reject(err))
  }
}

/** Why a request was refused without being handled. */
export type Refusal = 'not-a-request' | 'invalid' | 'busy'

export interface ServeOptions<Req> {
  /** The channel to the parent; its Node IPC channel by default. */
  wire?: Wire
  /** Checks a request before it is handled: the request, typed, or why it is refused. */
  check?: (body: unknown) => Req | string
  /** A request that comes before the previous one was answered is refused (a control stream takes one at a time). */
  oneAtATime?: boolean
  /** Told of every request refused unhandled. */
  onRefused?: (why: Refusal, message: string) => void
}

/** The error reply to a request refused unhandled (exit code 2: bad input). */
export function refusalReply (seq: number, message: string): ChildEnvelope<never, never> {
  return { rb: 'reply', seq, ok: false, error: { code: 'RB_CONTROL_REFUSED', message, exitCode: 2 } }
}

/**
 * The child's end: answers each request with `handle`'s result (or its error,
 * with code and exit code kept); `emit` sends events tied to that request;
 * `afterReply` runs once the reply has left (a listener exits after its final figures).
 */
export function serve<Req, Ev, Rep> (handle: (req: Req, emit: (e: Ev) => void, afterReply: (fn: () => void) => void) => Promise<Rep>, o: ServeOptions<Req> = {}): void {
  const wire = o.wire ?? parentIpcWire()
  const send = (m: ChildEnvelope<Ev, Rep>, done?: () => void): void => wire.send(m, done)
  const refuse = (seq: number, why: Refusal, message: string): void => {
    o.onRefused?.(why, message)
    send(refusalReply(seq, message))
  }
  let busy = false
  wire.onMessage((m: unknown) => {
    if (!isEnvelope(m) || m.rb !== 'request') {
      if (o.check !== undefined) refuse(0, 'not-a-request', 'not a request envelope {"rb":"request","seq":N,"body":{...}}')
      return
    }
    const { seq } = m as RequestEnvelope<unknown>
    if (o.oneAtATime === true && busy) return refuse(seq, 'busy', `request ${seq} came before the previous one was answered; one at a time`)
    const body = o.check === undefined ? (m as RequestEnvelope<Req>).body : o.check((m as RequestEnvelope<unknown>).body)
    if (typeof body === 'string') return refuse(seq, 'invalid', body)
    busy = true
    let after: (() => void) | undefined
    const reply = (r: ChildEnvelope<Ev, Rep>): void => { busy = false; send(r, after) }
    handle(body, e => send({ rb: 'event', seq, body: e }), fn => { after = fn }).then(
      r => reply({ rb: 'reply', seq, ok: true, body: r }),
      (err: unknown) => reply({
        rb: 'reply',
        seq,
        ok: false,
        error: {
          code: err instanceof HarnessError ? err.code : 'RB_ERROR',
          message: err instanceof Error ? err.message : String(err),
          exitCode: err instanceof HarnessError ? err.exitCode : 1
        }
      })
    )
  })
  send({ rb: 'ready', seq: 0 })
}
