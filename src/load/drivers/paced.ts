/**
 * An open-loop load at a fixed rate: request i is due at start + i/R, spread
 * evenly over time (not a per-second budget spent in a burst, as autocannon's
 * rate does), and goes out on the first idle connection; when none is idle it
 * waits, late. Latency is recorded from the actual send (client.latencyMs)
 * and from the intended send time (client.correctedLatencyMs: coordinated
 * omission corrected by construction), with the number of late requests.
 * Plain keep-alive HTTP/1.1 on net sockets (so --client-addrs spreading and
 * connection counting work as for autocannon), one request in flight per
 * connection, requests going round the idle connections in turn; --churn K
 * closes a connection after K responses.
 */
import net from 'node:net'
import type { Recorder } from '../recorder.js'
import { RunError } from '../../errors.js'
import { num } from '../../numbers.js'
import type { LoadDriver } from './driver.js'
import type { LoadOptions, LoadResult } from '../../types/load.js'

/** Intended send times (ns from the start) of a paced load: `rate` per second for `durationSec`. */
export function schedule (rate: number, durationSec: number): { intervalNs: number, count: number, at: (i: number) => number } {
  const intervalNs = 1e9 / rate
  return { intervalNs, count: Math.floor(rate * durationSec), at: i => Math.round(i * intervalNs) }
}

/** One connection; `worker` is the listener that serves it, from its first response's x-worker header. */
interface Conn { socket: net.Socket, buf: string, busy: boolean, served: number, sentNs: number, intendedNs: number, worker?: number }

/** Where a chunked body that starts at `from` ends (after its last chunk and the blank line), or -1 while incomplete. */
function chunkedEnd (buf: string, from: number): number {
  let at = from
  for (;;) {
    const eol = buf.indexOf('\r\n', at)
    if (eol < 0) return -1
    const size = parseInt(buf.slice(at, eol), 16)
    if (Number.isNaN(size)) throw new RunError('RB_LOAD_FAILED', `a malformed chunked response: '${buf.slice(at, eol)}'`)
    if (size === 0) return buf.startsWith('\r\n', eol + 2) ? eol + 4 : -1
    at = eol + 2 + size + 2
    if (at > buf.length) return -1
  }
}

/** One response in `buf`: its status, the x-worker header and its length, or undefined while incomplete. */
export function parseResponse (buf: string): { status: number, worker: number | undefined, length: number, close: boolean } | undefined {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const head = buf.slice(0, end)
  const status = Number(head.slice(9, 12))
  const header = (name: string): string | undefined => new RegExp(`\\r\\n${name}:\\s*([^\\r]*)`, 'i').exec(head)?.[1]
  const chunked = /chunked/i.test(header('transfer-encoding') ?? '')
  const length = chunked ? chunkedEnd(buf, end + 4) : end + 4 + Number(header('content-length') ?? 0)
  if (length < 0 || buf.length < length) return undefined
  const w = header('x-worker')
  return { status, worker: w === undefined ? undefined : Number(w), length, close: /close/i.test(header('connection') ?? '') }
}

/** A request unanswered this long is a timeout (autocannon's default too): its connection is closed and replaced. */
export const TIMEOUT_NS = 10e9

class PacedLoad {
  private readonly plan: ReturnType<typeof schedule>
  private readonly conns: Conn[] = []
  private readonly due: number[] = []
  private readonly t0 = process.hrtime.bigint()
  private next = 0
  /** Where the search for an idle connection starts: the one after the last used, so requests go round the connections. */
  private cursor = 0
  sent = 0
  late = 0
  non2xx = 0
  bytes = 0
  timeouts = 0
  private stopped = false

  constructor (private readonly o: LoadOptions, private readonly timeoutNs: number, private readonly rec: Recorder) {
    this.plan = schedule(o.rate, o.durationSec)
    for (let i = 0; i < o.connections; i++) this.conns.push(this.connect())
  }

  private now (): number {
    return Number(process.hrtime.bigint() - this.t0)
  }

  private connect (): Conn {
    const c: Conn = { socket: net.connect(this.o.port, this.o.host), buf: '', busy: false, served: 0, sentNs: 0, intendedNs: 0 }
    c.socket.setNoDelay(true)
    c.socket.setEncoding('latin1')
    c.socket.on('data', (d: string) => this.data(c, d))
    c.socket.on('error', (e: NodeJS.ErrnoException) => { if (!this.stopped) this.rec.error(e) })
    c.socket.on('close', () => this.replace(c))
    return c
  }

  /** A connection that closed is replaced (its request, if any, was an error already counted). */
  private replace (c: Conn): void {
    if (this.stopped) return
    const i = this.conns.indexOf(c)
    if (i >= 0) this.conns[i] = this.connect()
    this.pump()
  }

  private data (c: Conn, d: string): void {
    c.buf += d
    this.bytes += d.length
    for (let r = parseResponse(c.buf); r !== undefined && c.busy; r = parseResponse(c.buf)) {
      c.buf = c.buf.slice(r.length)
      const now = this.now()
      c.worker = r.worker ?? c.worker
      this.rec.scheduled((now - c.sentNs) / 1000, (now - c.intendedNs) / 1000, c.worker)
      if (r.status < 200 || r.status >= 300) this.non2xx++
      c.busy = false
      c.served++
      if (r.close || (this.o.churn > 0 && c.served >= this.o.churn)) c.socket.end()
      else this.pump()
    }
  }

  /** Counts a timeout for every request unanswered for `timeoutNs`, and closes its connection (it is replaced). */
  expire (timeoutNs: number): void {
    const now = this.now()
    for (const c of this.conns) {
      if (!c.busy || now - c.sentNs < timeoutNs) continue
      c.busy = false
      this.timeouts++
      this.rec.error(Object.assign(new Error('request timed out'), { code: 'timeout' }))
      c.socket.destroy()
    }
  }

  /** Queues every request now due and sends what idle connections can take. */
  pump (): void {
    if (this.stopped) return
    const now = this.now()
    while (this.next < this.plan.count && this.plan.at(this.next) <= now) this.due.push(this.plan.at(this.next++))
    for (let k = 0; k < this.conns.length && this.due.length > 0; k++) {
      const at = (this.cursor + k) % this.conns.length
      const c = this.conns[at]
      if (c === undefined || c.busy || c.socket.connecting || c.socket.destroyed || c.socket.writableEnded) continue
      this.cursor = at + 1
      const intended = this.due.shift() ?? now
      c.busy = true
      c.sentNs = this.now()
      c.intendedNs = intended
      if (c.sentNs - intended > this.plan.intervalNs) this.late++
      this.sent++
      const last = this.o.churn > 0 && c.served + 1 >= this.o.churn
      c.socket.write(`GET / HTTP/1.1\r\nHost: ${this.o.host}:${this.o.port}\r\n${last ? 'Connection: close\r\n' : ''}\r\n`)
    }
  }

  /** Wakes at each due time: a timer while the next is over 2 ms away, then setImmediate, for even spacing. */
  run (): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const endNs = this.o.durationSec * 1e9
      let lastTick = 0
      const onAbort = (): void => { this.stop(); reject(new RunError('RB_LOAD_FAILED', 'load stopped before its end')) }
      this.o.signal?.addEventListener('abort', onAbort, { once: true })
      for (const c of this.conns) c.socket.once('connect', () => this.pump())
      const loop = (): void => {
        if (this.stopped) return
        const now = this.now()
        if (now >= endNs) {
          this.o.signal?.removeEventListener('abort', onAbort)
          resolve(this.finish())
          return
        }
        this.pump()
        if (now - lastTick >= 1e9) {
          lastTick = now
          this.expire(this.timeoutNs)
          this.o.onTick?.(now / 1e9, this.rec.responses)
        }
        const wait = (this.next < this.plan.count ? this.plan.at(this.next) : endNs) - this.now()
        if (wait > 2e6) setTimeout(loop, Math.floor(wait / 1e6) - 1)
        else setImmediate(loop)
      }
      loop()
    })
  }

  private stop (): void {
    this.stopped = true
    for (const c of this.conns) c.socket.destroy()
  }

  private finish (): LoadResult {
    this.stop()
    try {
      const result = this.rec.result({ completed: this.rec.responses, sent: this.sent, errors: Object.values(this.rec.errorCodes).reduce((a, b) => a + b, 0), timeouts: this.timeouts, non2xx: this.non2xx, bytes: this.bytes })
      return { ...result, paced: { intervalUs: Math.round(this.plan.intervalNs / 100) / 10, intended: this.plan.count, late: this.late, unsent: this.plan.count - this.sent } }
    } finally {
      this.rec.dispose()
    }
  }
}

/** One paced load; `timeoutNs` is how long a request may go unanswered. */
export async function runPaced (o: LoadOptions, timeoutNs = TIMEOUT_NS): Promise<LoadResult> {
  if (o.rate <= 0) throw new RunError('RB_LOAD_FAILED', 'the paced driver needs --rate')
  // Loaded when a load runs, not when the drivers' registry is read (a plan's validation reads it).
  const { Recorder } = await import('../recorder.js')
  return await new PacedLoad(o, timeoutNs, new Recorder(o)).run()
}

/** How a driver that paces on a schedule says its figures at a rate: what it scheduled (`what`: requests, datagrams), how many went late and how many never went. */
export function scheduleText (driver: string, what: string): LoadDriver['rateText'] {
  return c => c.paced === undefined
    ? `${driver} driver`
    : `${driver} driver: ${num(c.paced.intended)} ${what} scheduled, ${num(c.paced.late)} late (sent over ${num(c.paced.intervalUs / 1000, 3)} ms after their time), ${num(c.paced.unsent)} never sent`
}

export const pacedDriver: LoadDriver = {
  name: 'paced',
  rate: 'required',
  defaultWithRate: true,
  rateText: scheduleText('paced', 'requests'),
  correctionNote: 'The paced driver (the default with --rate): latency from each request\'s intended send time on an evenly spaced schedule, so time spent waiting for a free connection counts (exact); client.paced counts late and unsent requests.',
  description: 'open loop at --rate: requests due evenly spaced in time, on the first idle connection (late when none is), latency also from the intended send time; the default with --rate',
  run: async (o: LoadOptions) => await runPaced(o)
}
