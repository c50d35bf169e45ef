/**
 * The undici load driver: a second, independent JavaScript HTTP client beside autocannon, to check it
 * against (npm run bench:fidelity). One undici Client per connection, each with up to --pipelining
 * requests in flight on its keep-alive socket, in a closed loop (the next request when one completes);
 * --rate spaces each request slot's sends evenly; --churn K asks the server to close after every K-th
 * response (`connection: close`), and undici opens a new connection. Connections go through net.connect,
 * so --client-addrs spreading (load/sources.ts) and the connection count (load/recorder.ts) see them
 * as they see autocannon's.
 */
import net from 'node:net'
import type { Client, Dispatcher } from 'undici'
import { RunError } from '../../errors.js'
import type { LoadOptions, LoadResult } from '../../types/load.js'
import type { Recorder } from '../recorder.js'
import type { LoadDriver } from './driver.js'

/** A request unanswered this long is a timeout, as for the other drivers. */
const TIMEOUT_MS = 10_000

/** The two requests a connection sends, made once: the load generator's loop is its hot path. */
const KEPT: Dispatcher.RequestOptions = { path: '/', method: 'GET' }
const CLOSING: Dispatcher.RequestOptions = { path: '/', method: 'GET', headers: { connection: 'close' } }

/** One connection: its client, which listener serves it (x-worker on its first response) and its requests since the last that asked to close. */
interface Conn { client: Client, worker?: number, sinceClose: number }

/** A connector that dials through net.connect(port, host), as the other drivers do. */
function connector (): Client.Options['connect'] {
  return (opts, cb) => {
    let told = false
    const s = net.connect(Number(opts.port), opts.hostname)
    s.setNoDelay(true)
    s.once('connect', () => { if (!told) { told = true; cb(null, s) } })
    s.once('error', (e: Error) => { if (!told) { told = true; cb(e, null) } })
  }
}

class UndiciLoad {
  private readonly conns: Conn[] = []
  private stopped = false
  sent = 0
  non2xx = 0
  bytes = 0
  timeouts = 0
  errors = 0

  constructor (private readonly o: LoadOptions, ClientOf: typeof Client, private readonly rec: Recorder) {
    const host = o.host.includes(':') ? `[${o.host}]` : o.host
    for (let i = 0; i < o.connections; i++) {
      const c: Conn = { sinceClose: 0, client: new ClientOf(`http://${host}:${o.port}`, { pipelining: o.pipelining ?? 1, connect: connector(), headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, keepAliveTimeout: 60_000 }) }
      c.client.on('connect', () => { delete c.worker })
      this.conns.push(c)
    }
  }

  /** One request on `c`, timed from its send to its whole body. */
  private async one (c: Conn): Promise<void> {
    const last = this.o.churn > 0 && ++c.sinceClose >= this.o.churn
    if (last) c.sinceClose = 0
    const t0 = process.hrtime.bigint()
    this.sent++
    try {
      const r: Dispatcher.ResponseData = await c.client.request(last ? CLOSING : KEPT)
      const body = await r.body.arrayBuffer()
      const us = Number(process.hrtime.bigint() - t0) / 1000
      const w = r.headers['x-worker']
      if (typeof w === 'string') c.worker = Number(w)
      this.bytes += body.byteLength
      if (r.statusCode < 200 || r.statusCode >= 300) this.non2xx++
      this.rec.response(us, c.worker)
    } catch (e) {
      if (this.stopped) return
      const err = e as NodeJS.ErrnoException
      if (/TIMEOUT/.test(String(err.code))) { this.timeouts++; this.rec.error(Object.assign(new Error('request timed out'), { code: 'timeout' })) } else { this.errors++; this.rec.error(err) }
    }
  }

  /** One request slot: requests back to back (closed loop), or one every `intervalMs` (--rate), until the end. */
  private async slot (c: Conn, endMs: number, intervalMs: number, offsetMs: number): Promise<void> {
    const start = performance.now()
    for (let k = 0; !this.stopped && performance.now() < endMs; k++) {
      if (intervalMs > 0) {
        const wait = start + offsetMs + k * intervalMs - performance.now()
        if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
        if (this.stopped || performance.now() >= endMs) break
      }
      await this.one(c)
    }
  }

  async run (): Promise<LoadResult> {
    const o = this.o
    const pipelining = o.pipelining ?? 1
    const slots = o.connections * pipelining
    const intervalMs = o.rate > 0 ? 1000 * slots / o.rate : 0
    const endMs = performance.now() + o.durationSec * 1000
    const ticker = setInterval(() => o.onTick?.(this.rec.elapsedSec(), this.rec.responses), 1000)
    // At the end (or on abort) the requests still in flight are dropped, as autocannon drops them: no load outlives its duration.
    const stop = (): void => { this.stopped = true; for (const c of this.conns) c.client.destroy().catch(() => {}) }
    const ender = setTimeout(stop, o.durationSec * 1000)
    const onAbort = stop
    o.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const loops = this.conns.flatMap((c, i) => Array.from({ length: pipelining }, (_x, j) => this.slot(c, endMs, intervalMs, intervalMs * (i * pipelining + j) / slots)))
      await Promise.all(loops)
      if (o.signal?.aborted === true) throw new RunError('RB_LOAD_FAILED', 'load stopped before its end')
      if (this.rec.responses === 0 && this.errors > 0) throw new RunError('RB_LOAD_FAILED', `cannot load ${o.host}:${o.port}: ${Object.keys(this.rec.errorCodes).join(', ')}; not one response`)
      return this.rec.result({ completed: this.rec.responses, sent: this.sent, errors: this.errors + this.timeouts, timeouts: this.timeouts, non2xx: this.non2xx, bytes: this.bytes })
    } finally {
      this.stopped = true
      clearInterval(ticker)
      clearTimeout(ender)
      o.signal?.removeEventListener('abort', onAbort)
      await Promise.all(this.conns.map(async c => await c.client.destroy().catch(() => {})))
      this.rec.dispose()
    }
  }
}

export const undiciDriver: LoadDriver = {
  name: 'undici',
  rate: 'optional',
  pipelining: true,
  rateText: () => "undici driver, each request slot's sends spaced evenly (no late or unsent count)",
  correctionNote: 'The undici driver: HdrHistogram expected-interval correction (interval = connections x pipelining / rate), an approximation, since each request slot waits for its response before its next send.',
  description: 'undici@7, one Client per connection with --pipelining requests in flight: closed loop; --rate spaces each request slot\'s sends evenly; a second client to check autocannon against',
  // undici and the recorder are loaded when a load runs, not when the drivers' registry is read.
  run: async (o: LoadOptions) => await new UndiciLoad(o, (await import('undici')).Client, new (await import('../recorder.js')).Recorder(o)).run()
}
