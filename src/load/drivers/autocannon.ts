/**
 * The autocannon load driver: drives load with autocannon's programmatic API, in this process (the load
 * generator's own process: workers/loadgen.ts, started by load/process.ts),
 * timing every complete response at autocannon's HTTP parser and handing it,
 * with the listener that served it, to the Recorder (load/recorder.ts).
 */
import type autocannonOf from 'autocannon'
import type { LoadOptions, LoadResult } from '../../types/load.js'
import { RunError } from '../../errors.js'
import type { Recorder } from '../recorder.js'
import type { LoadDriver } from './driver.js'

/** The parts of autocannon@9's per-connection client (lib/httpClient.js) the harness looks at. */
interface AutocannonClient {
  on: (event: string, cb: (arg: never) => void) => void
  parser?: Record<number, unknown> & { constructor: { kOnMessageComplete?: number } }
  pipelinedRequests?: { pendingRequests?: Array<{ startTime?: [number, number] }> }
  rbWorker?: number
  rbHooked?: boolean
  /** autocannon@9's own (re)connect and its flag that the client is done. */
  _connect?: () => void
  destroyed?: boolean
}

/**
 * Times every complete response on this connection from its request's start
 * (autocannon's own start time), by wrapping the HTTP parser's message-complete
 * callback. Leaves the client untouched if the internals are not as expected.
 */
export function hookResponses (c: AutocannonClient, record: (us: number, worker: number | undefined) => void): void {
  const parser = c.parser
  const k = parser?.constructor.kOnMessageComplete
  if (parser === undefined || k === undefined || typeof parser[k] !== 'function' || c.pipelinedRequests?.pendingRequests === undefined) return
  const original = parser[k] as (...args: unknown[]) => unknown
  parser[k] = function (this: unknown, ...args: unknown[]): unknown {
    const start = c.pipelinedRequests?.pendingRequests?.[0]?.startTime
    if (start !== undefined) {
      const [sec, ns] = process.hrtime(start)
      record(sec * 1e6 + ns / 1e3, c.rbWorker)
    }
    return original.apply(this, args)
  }
  c.rbHooked = true
}

/** A connection that keeps failing to connect waits between tries, from this long up to the most; a success resets it. */
const RETRY_FIRST_MS = 10
const RETRY_MOST_MS = 500
/** With not one response and only connect errors for this long, the load stops and says why. */
const GIVE_UP_MS = 3000

/**
 * Bounds autocannon's reconnect loop: on a connect error it reconnects at once, and where connect fails
 * at once (an unreachable network, a source address that is not local) that loop runs in next-tick
 * callbacks that starve the event loop (no timer, no signal, no stdin) and queues a request per try
 * (a load process grew to 1.5 GB). Each failure in a row doubles a wait between tries instead.
 */
export function boundReconnects (c: AutocannonClient): void {
  const connect = c._connect
  if (typeof connect !== 'function') return
  let failures = 0
  c.on('connError', () => { failures++ })
  c.on('headers', () => { failures = 0 })
  c._connect = function (this: AutocannonClient): void {
    if (failures === 0) { connect.call(this); return }
    const wait = Math.min(RETRY_MOST_MS, RETRY_FIRST_MS * 2 ** (failures - 1))
    setTimeout(() => { if (this.destroyed !== true) connect.call(this) }, wait).unref()
  }
}

/** Per connection: remember which listener serves it (the x-worker header, on a connection's first response) and time every complete response. */
function setupClient (record: (us: number, worker: number | undefined) => void): (client: unknown) => void {
  return (client: unknown) => {
    const c = client as AutocannonClient
    c.on('headers', (h: { headers?: string[] }) => {
      const hs = h.headers ?? []
      for (let i = 0; i + 1 < hs.length; i += 2) {
        if (hs[i]?.toLowerCase() === 'x-worker') c.rbWorker = Number(hs[i + 1])
      }
    })
    boundReconnects(c)
    // autocannon sets its parser callbacks after calling setupClient: wrap them on the next tick,
    // before any response can arrive (including the one it drops from its own counts when it reconnects).
    process.nextTick(() => hookResponses(c, record))
  }
}

/** autocannon's options for one load: the plan's size, pace and churn, our per-response timing hooked in. */
function autocannonOptions (o: LoadOptions, rec: Recorder): Parameters<typeof autocannonOf>[0] {
  // sampleInt is autocannon's option (lib/defaultOptions.js); its types leave it out.
  const options: Parameters<typeof autocannonOf>[0] & { sampleInt: number } = {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}/`,
    connections: o.connections,
    duration: o.durationSec,
    // autocannon ends a load at its next sample after the duration: every 100 ms, so a 0.5 s slice lasts 0.5 s, not 1 s.
    sampleInt: 100,
    reconnectRate: o.churn > 0 ? o.churn : undefined,
    pipelining: o.pipelining ?? 1,
    overallRate: o.rate > 0 ? o.rate : undefined,
    timeout: 10,
    skipAggregateResult: true,
    setupClient: setupClient((us, worker) => rec.response(us, worker))
  }
  return options
}

export async function runLoad (o: LoadOptions): Promise<LoadResult> {
  // Loaded when a load runs, not when the drivers' registry is read (a plan's validation reads it).
  const { default: autocannon } = await import('autocannon')
  const { Recorder } = await import('../recorder.js')
  const rec = new Recorder(o)
  return await new Promise<LoadResult>((resolve, reject) => {
    let settled = false
    const finish = (): void => {
      settled = true
      clearInterval(ticker)
      o.signal?.removeEventListener('abort', onAbort)
    }
    let connectError: NodeJS.ErrnoException | undefined
    const cannotConnect = (e: NodeJS.ErrnoException): RunError =>
      new RunError('RB_LOAD_FAILED', `cannot connect to ${o.host}:${o.port}: ${e.code ?? 'error'} (${e.message}); not one response in ${Math.round(rec.elapsedSec())} s`, { cause: e })
    const instance = autocannon(autocannonOptions(o, rec), (err, raw) => {
      if (settled) return
      finish()
      try {
        if (err !== null) reject(new RunError('RB_LOAD_FAILED', `load generator failed: ${err.message}`, { cause: err }))
        else if (connectError !== undefined && rec.responses === 0) reject(cannotConnect(connectError))
        else resolve(rec.result({ completed: raw.totalCompletedRequests, sent: raw.totalRequests, errors: raw.errors, timeouts: raw.timeouts, non2xx: raw.non2xx, bytes: raw.totalBytes }))
      } finally {
        rec.dispose()
      }
    })
    instance.on('response', (client: AutocannonClient, _status: number, _bytes: number, responseTimeMs: number) => {
      // Only when the parser hook is unavailable (another autocannon version): its own events, minus reconnect responses.
      if (client.rbHooked !== true) rec.response(responseTimeMs * 1000, client.rbWorker)
    })
    instance.on('reqError', (e: NodeJS.ErrnoException) => {
      rec.error(e)
      if (e.syscall === 'connect') connectError = e
    })
    const ticker = setInterval(() => {
      o.onTick?.(rec.elapsedSec(), rec.responses)
      // Nothing but connect errors for a while: the target cannot be reached from here, which no wait mends.
      if (connectError !== undefined && rec.responses === 0 && rec.elapsedSec() * 1000 >= GIVE_UP_MS && !settled) {
        finish()
        instance.stop()
        rec.dispose()
        reject(cannotConnect(connectError))
      }
    }, 1000)
    // Settle at once on abort: autocannon only notices stop() at its next sample.
    const onAbort = (): void => {
      if (settled) return
      finish()
      instance.stop()
      rec.dispose()
      reject(new RunError('RB_LOAD_FAILED', 'load stopped before its end'))
    }
    if (o.signal?.aborted === true) onAbort()
    else o.signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export const autocannonDriver: LoadDriver = {
  name: 'autocannon',
  rate: 'optional',
  pipelining: true,
  rateText: () => 'autocannon driver, paced per connection per second (no late or unsent count)',
  correctionNote: 'The autocannon driver: HdrHistogram expected-interval correction (interval = connections / rate), an approximation, since autocannon paces each connection per second rather than on a fixed schedule',
  description: 'autocannon@9 in one thread: closed loop (the next request after the previous response, or --pipelining of them in flight); --rate paces each connection per second',
  run: runLoad
}
