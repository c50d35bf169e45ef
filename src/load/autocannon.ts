/**
 * Drives load with autocannon's programmatic API, in this process (the load
 * generator's own process: workers/loadgen.ts, started by load/process.ts). Counts the
 * TCP connections it really opens (node's net.client.socket diagnostics
 * channel), records client latency in microseconds in our own histogram (and
 * a coordinated-omission-corrected one at a fixed rate), and measures its own
 * CPU time so a saturated load generator is reported, not hidden.
 */
import autocannon from 'autocannon'
import diagnostics from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import { createHistogram, encodeHistogram, summarize } from '../collect/histogram.js'
import type { LatencySummary } from '../collect/histogram.js'
import { RunError } from '../errors.js'

export interface LoadOptions {
  host: string
  port: number
  connections: number
  durationSec: number
  /** A new connection every `churn` requests (autocannon reconnectRate); 0 keeps connections alive. */
  churn: number
  /** Overall requests per second; 0 means as fast as possible. */
  rate: number
  signal?: AbortSignal
  /** Called about once a second with the responses so far. */
  onTick?: (elapsedSec: number, responses: number) => void
}

export interface LoadResult {
  /** Requests completed (= responses): the result contract's name for it. */
  requests: number
  /** Complete responses the client received (counted by the harness, including the ones that trigger a --churn reconnect). */
  responses: number
  /** Responses autocannon itself counted: it leaves out the response that triggers each reconnect (all of them with --churn 1). */
  autocannonResponses: number
  /** Requests written. */
  sent: number
  errors: number
  timeouts: number
  non2xx: number
  /** TCP connections the client established to the target port. */
  connectionsOpened: number
  durationSec: number
  rps: number
  bytes: number
  /** Client round trip, from writing the request to the whole response, in milliseconds. */
  latencyMs: LatencySummary
  /** The same histogram (microseconds), compressed base64. */
  histogram: string
  /** With --rate only: latency corrected for coordinated omission (HdrHistogram's expected-interval correction), ms. */
  correctedLatencyMs?: LatencySummary
  correctedHistogram?: string
  /** The load generator's own CPU time over the run, and the share of one core it used. */
  cpu: { userMs: number, systemMs: number, wallMs: number, coreShare: number, saturated: boolean }
  /** Client latency by the listener that served the response (from its x-worker header): includes queueing at that listener. */
  byListener: Array<{ index: number, responses: number, latencyMs: LatencySummary }>
  /** Client errors by code (ECONNRESET, ECONNREFUSED, timeout ...). */
  errorCodes: Record<string, number>
  /** When each client error happened, ms from the start of the load (at most 10,000 kept). */
  errorTimesMs: number[]
}

/** Above this share of one core, the single-threaded load generator is the bottleneck. */
export const SATURATION_SHARE = 0.9

/** The parts of autocannon@9's per-connection client (lib/httpClient.js) the harness looks at. */
interface AutocannonClient {
  on: (event: string, cb: (arg: never) => void) => void
  parser?: Record<number, unknown> & { constructor: { kOnMessageComplete?: number } }
  pipelinedRequests?: { pendingRequests?: Array<{ startTime?: [number, number] }> }
  rbWorker?: number
  rbHooked?: boolean
}

/**
 * Times every complete response on this connection from its request's start
 * (autocannon's own start time), by wrapping the HTTP parser's message-complete
 * callback. Leaves the client untouched if the internals are not as expected.
 */
function hookResponses (c: AutocannonClient, record: (us: number, worker: number | undefined) => void): void {
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

export function runLoad (o: LoadOptions): Promise<LoadResult> {
  const hist = createHistogram()
  const corrected = o.rate > 0 ? createHistogram() : undefined
  // At a fixed rate each connection should send one request every connections/rate seconds.
  const expectedIntervalUs = o.rate > 0 ? Math.round(1e6 * Math.min(o.connections, o.rate) / o.rate) : 0
  let opened = 0
  let responses = 0
  const perListener = new Map<number, ReturnType<typeof createHistogram>>()
  const record = (us: number, worker: number | undefined): void => {
    responses++
    const v = Math.max(1, Math.round(us))
    hist.recordValue(v)
    corrected?.recordValueWithExpectedInterval(v, expectedIntervalUs)
    if (worker !== undefined) {
      let h = perListener.get(worker)
      if (h === undefined) { h = createHistogram(); perListener.set(worker, h) }
      h.recordValue(v)
    }
  }
  const errorCodes: Record<string, number> = {}
  const errorTimesMs: number[] = []
  const onSocket = (m: unknown): void => {
    const socket = (m as { socket: Socket }).socket
    socket.once('connect', () => { if (socket.remotePort === o.port) opened++ })
  }
  diagnostics.subscribe('net.client.socket', onSocket)

  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}/`
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const started = Date.now()
  return new Promise<LoadResult>((resolve, reject) => {
    let aborted = false
    const instance = autocannon({
      url,
      connections: o.connections,
      duration: o.durationSec,
      reconnectRate: o.churn > 0 ? o.churn : undefined,
      overallRate: o.rate > 0 ? o.rate : undefined,
      timeout: 10,
      skipAggregateResult: true,
      // Per connection: remember which listener served the response (x-worker header) and time every
      // complete response, including the one autocannon drops from its own counts when it reconnects.
      setupClient: (client) => {
        const c = client as unknown as AutocannonClient
        c.on('headers', (h: { headers?: string[] }) => {
          const hs = h.headers ?? []
          for (let i = 0; i + 1 < hs.length; i += 2) {
            if (hs[i]?.toLowerCase() === 'x-worker') c.rbWorker = Number(hs[i + 1])
          }
        })
        // autocannon sets its parser callbacks after calling setupClient: wrap them on the next tick,
        // before any response can arrive.
        process.nextTick(() => hookResponses(c, record))
      }
    }, (err, raw) => {
      diagnostics.unsubscribe('net.client.socket', onSocket)
      clearInterval(ticker)
      o.signal?.removeEventListener('abort', onAbort)
      const wallUs = Number(process.hrtime.bigint() - t0) / 1000
      const cpu = process.cpuUsage(cpu0)
      if (err !== null) {
        reject(new RunError('RB_LOAD_FAILED', `load generator failed: ${err.message}`))
        return
      }
      if (aborted) return
      const durationSec = wallUs / 1e6
      const coreShare = (cpu.user + cpu.system) / wallUs
      const result: LoadResult = {
        requests: responses,
        responses,
        autocannonResponses: raw.totalCompletedRequests,
        sent: raw.totalRequests,
        errors: raw.errors,
        timeouts: raw.timeouts,
        non2xx: raw.non2xx,
        connectionsOpened: opened,
        durationSec: Math.round(durationSec * 1000) / 1000,
        rps: Math.round(responses / durationSec),
        bytes: raw.totalBytes,
        latencyMs: summarize(hist, 1000),
        histogram: encodeHistogram(hist),
        byListener: [...perListener.entries()].sort((a, b) => a[0] - b[0]).map(([index, h]) => ({ index, responses: h.totalCount, latencyMs: summarize(h, 1000) })),
        errorCodes,
        errorTimesMs,
        cpu: {
          userMs: Math.round(cpu.user / 1000),
          systemMs: Math.round(cpu.system / 1000),
          wallMs: Math.round(wallUs / 1000),
          coreShare: Math.round(coreShare * 1000) / 1000,
          saturated: coreShare >= SATURATION_SHARE
        }
      }
      if (corrected !== undefined) {
        result.correctedLatencyMs = summarize(corrected, 1000)
        result.correctedHistogram = encodeHistogram(corrected)
      }
      hist.destroy()
      corrected?.destroy()
      for (const h of perListener.values()) h.destroy()
      resolve(result)
    })
    instance.on('response', (client: AutocannonClient, _status: number, _bytes: number, responseTimeMs: number) => {
      // Only when the parser hook is unavailable (another autocannon version): its own events, minus reconnect responses.
      if (client.rbHooked !== true) record(responseTimeMs * 1000, client.rbWorker)
    })
    instance.on('reqError', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? (/timed out/.test(e.message) ? 'timeout' : 'other')
      errorCodes[code] = (errorCodes[code] ?? 0) + 1
      if (errorTimesMs.length < 10_000) errorTimesMs.push(Date.now() - started)
    })
    const ticker = setInterval(() => o.onTick?.((Date.now() - started) / 1000, responses), 1000)
    // Settle at once on abort or failure: autocannon only notices stop() at its next 1 s sample.
    const stopEarly = (err: RunError): void => {
      if (aborted) return
      aborted = true
      instance.stop()
      diagnostics.unsubscribe('net.client.socket', onSocket)
      clearInterval(ticker)
      reject(err)
    }
    const onAbort = (): void => stopEarly(new RunError('RB_LOAD_FAILED', 'load stopped before its end'))
    if (o.signal?.aborted === true) onAbort()
    else o.signal?.addEventListener('abort', onAbort, { once: true })
  })
}
