/**
 * Drives load with autocannon's programmatic API, in this process. Counts the
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
  /** Responses autocannon counted (it does not count the one that triggers a reconnect). */
  responses: number
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
}

/** Above this share of one core, the single-threaded load generator is the bottleneck. */
export const SATURATION_SHARE = 0.9

export function runLoad (o: LoadOptions): Promise<LoadResult> {
  const hist = createHistogram()
  const corrected = o.rate > 0 ? createHistogram() : undefined
  // At a fixed rate each connection should send one request every connections/rate seconds.
  const expectedIntervalUs = o.rate > 0 ? Math.round(1e6 * Math.min(o.connections, o.rate) / o.rate) : 0
  let opened = 0
  let responses = 0
  const onSocket = (m: unknown): void => {
    const socket = (m as { socket: Socket }).socket
    socket.once('connect', () => { if (socket.remotePort === o.port) opened++ })
  }
  diagnostics.subscribe('net.client.socket', onSocket)

  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}/`
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  return new Promise<LoadResult>((resolve, reject) => {
    let aborted = false
    const instance = autocannon({
      url,
      connections: o.connections,
      duration: o.durationSec,
      reconnectRate: o.churn > 0 ? o.churn : undefined,
      overallRate: o.rate > 0 ? o.rate : undefined,
      timeout: 10,
      skipAggregateResult: true
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
        responses: raw.totalCompletedRequests,
        sent: raw.totalRequests,
        errors: raw.errors,
        timeouts: raw.timeouts,
        non2xx: raw.non2xx,
        connectionsOpened: opened,
        durationSec: Math.round(durationSec * 1000) / 1000,
        rps: Math.round(raw.totalCompletedRequests / durationSec),
        bytes: raw.totalBytes,
        latencyMs: summarize(hist, 1000),
        histogram: encodeHistogram(hist),
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
      resolve(result)
    })
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      responses++
      const us = Math.max(1, Math.round(responseTimeMs * 1000))
      hist.recordValue(us)
      corrected?.recordValueWithExpectedInterval(us, expectedIntervalUs)
    })
    const started = Date.now()
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
    // Fault injection for the reliability tests: RB_FAULT=load fails the load generator mid-run.
    if (process.env.RB_FAULT === 'load') {
      setTimeout(() => stopEarly(new RunError('RB_LOAD_FAILED', 'load generator failed: injected fault (RB_FAULT=load)')), 300).unref()
    }
  })
}
