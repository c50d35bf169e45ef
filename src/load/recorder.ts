/**
 * What the client records while it loads: every response's round trip in one
 * histogram (and, at a fixed rate, a coordinated-omission-corrected one), the
 * same split by the listener that served it (its x-worker header), errors by
 * code and time, and the TCP connections it really opened to the target
 * (node's net.client.socket diagnostics channel). `result` turns it into the
 * load's figures; `dispose` frees the histograms and the channel subscription.
 */
import diagnostics from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { createHistogram, encodeHistogram, summarize } from '../collect/histogram.js'
import { threadPlacement } from '../proc/pinning.js'
import { SATURATION_SHARE } from '../types/load.js'
import type { LoadOptions, LoadResult } from '../types/load.js'


/** What autocannon itself counted, for the result beside the recorder's own counts. */
export interface DriverCounts { completed: number, sent: number, errors: number, timeouts: number, non2xx: number, bytes: number }

export class Recorder {
  responses = 0
  opened = 0
  readonly errorCodes: Record<string, number> = {}
  readonly errorTimesMs: number[] = []
  private readonly hist = createHistogram()
  private readonly corrected: ReturnType<typeof createHistogram> | undefined
  /** At a fixed rate each connection should send one request every connections/rate seconds. */
  private readonly expectedIntervalUs: number
  private readonly perListener = new Map<number, ReturnType<typeof createHistogram>>()
  private readonly started = Date.now()
  private readonly cpu0 = process.cpuUsage()
  private readonly elu0 = performance.eventLoopUtilization()
  private readonly t0 = process.hrtime.bigint()
  private readonly onSocket: (m: unknown) => void

  constructor (o: Pick<LoadOptions, 'rate' | 'connections' | 'port'>) {
    this.corrected = o.rate > 0 ? createHistogram() : undefined
    this.expectedIntervalUs = o.rate > 0 ? Math.round(1e6 * Math.min(o.connections, o.rate) / o.rate) : 0
    this.onSocket = (m: unknown): void => {
      const socket = (m as { socket: Socket }).socket
      socket.once('connect', () => { if (socket.remotePort === o.port) this.opened++ })
    }
    diagnostics.subscribe('net.client.socket', this.onSocket)
  }

  /** One complete response, `us` after its request started, served by listener `worker` when known (closed loop: the corrected histogram estimates what waited). */
  response (us: number, worker: number | undefined): void {
    const v = this.record(us, worker)
    this.corrected?.recordValueWithExpectedInterval(v, this.expectedIntervalUs)
  }

  /**
   * One complete response of a paced load: `us` after it was sent, and
   * `fromIntendedUs` after its intended send time (the corrected histogram,
   * exact rather than HdrHistogram's expected-interval estimate).
   */
  scheduled (us: number, fromIntendedUs: number, worker: number | undefined): void {
    this.record(us, worker)
    this.corrected?.recordValue(Math.max(1, Math.round(fromIntendedUs)))
  }

  /** Counts a response and records its round trip, overall and by listener; returns the value recorded. */
  private record (us: number, worker: number | undefined): number {
    this.responses++
    const v = Math.max(1, Math.round(us))
    this.hist.recordValue(v)
    if (worker === undefined) return v
    let h = this.perListener.get(worker)
    if (h === undefined) {
      h = createHistogram()
      this.perListener.set(worker, h)
    }
    h.recordValue(v)
    return v
  }

  error (e: NodeJS.ErrnoException): void {
    const code = e.code ?? (/timed out/.test(e.message) ? 'timeout' : 'other')
    this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1
    if (this.errorTimesMs.length < 10_000) this.errorTimesMs.push(Date.now() - this.started)
  }

  elapsedSec (): number {
    return (Date.now() - this.started) / 1000
  }

  /** The load's figures, with this process's CPU time over it. */
  result (counts: DriverCounts): LoadResult {
    const wallUs = Number(process.hrtime.bigint() - this.t0) / 1000
    const cpu = process.cpuUsage(this.cpu0)
    const durationSec = wallUs / 1e6
    const coreShare = (cpu.user + cpu.system) / wallUs
    const result: LoadResult = {
      requests: this.responses,
      responses: this.responses,
      autocannonResponses: counts.completed,
      sent: counts.sent,
      errors: counts.errors,
      timeouts: counts.timeouts,
      non2xx: counts.non2xx,
      connectionsOpened: this.opened,
      durationSec: Math.round(durationSec * 1000) / 1000,
      rps: Math.round(this.responses / durationSec),
      bytes: counts.bytes,
      latencyMs: summarize(this.hist, 1000),
      histogram: encodeHistogram(this.hist),
      byListener: [...this.perListener.entries()].sort((a, b) => a[0] - b[0]).map(([index, h]) => ({ index, responses: h.totalCount, latencyMs: summarize(h, 1000), histogram: encodeHistogram(h) })),
      errorCodes: this.errorCodes,
      errorTimesMs: this.errorTimesMs,
      cpu: { userMs: Math.round(cpu.user / 1000), systemMs: Math.round(cpu.system / 1000), wallMs: Math.round(wallUs / 1000), coreShare: Math.round(coreShare * 1000) / 1000, saturated: coreShare >= SATURATION_SHARE, loopUtilization: [Math.round(performance.eventLoopUtilization(this.elu0).utilization * 1000) / 1000], placement: [threadPlacement()] }
    }
    if (this.corrected !== undefined) {
      result.correctedLatencyMs = summarize(this.corrected, 1000)
      result.correctedHistogram = encodeHistogram(this.corrected)
    }
    return result
  }

  dispose (): void {
    diagnostics.unsubscribe('net.client.socket', this.onSocket)
    this.hist.destroy()
    this.corrected?.destroy()
    for (const h of this.perListener.values()) h.destroy()
  }
}
