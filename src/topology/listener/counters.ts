/**
 * What one listener counts while it serves: accepted connections, requests,
 * client errors and resets, open connections, server time per request
 * (microseconds, hdr histogram), event-loop delay and utilization, peers and
 * CPU time; `snapshot` reads them, `reset` zeroes them. One per listener,
 * whether it is a process or a thread (its host gives the CPU clock).
 */
import type { Socket } from 'node:net'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createHistogram, encodeHistogram } from '../../collect/histogram.js'
import type { ListenerStats } from '../../types/listener.js'

/** Keeps this thread busy for `us` microseconds: a listener's CPU work per request or datagram, or a stall when long. */
export function busy (us: number): void {
  const end = performance.now() + us / 1000
  while (performance.now() < end) { /* spin */ }
}

/** A listener's own CPU time so far, microseconds (its process's, or its thread's). */
export type CpuClock = () => { user: number, system: number }

/** The delay monitor's timer period: every sample includes it, so it is taken off (an idle listener reads about 0). */
const RESOLUTION_MS = 5
/** Peer addresses kept at most. */
const MAX_PEERS = 64

/** A delay sample in ns as ms beyond the monitor's resolution. */
const beyond = (x: number): number => Math.max(0, Math.round((x / 1e6 - RESOLUTION_MS) * 1000) / 1000)

export class ListenerCounters {
  accepts = 0
  requests = 0
  errors = 0
  resets = 0
  open = 0
  readonly sockets = new Set<Socket>()
  private readonly hist = createHistogram()
  private readonly loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  private eluBase = performance.eventLoopUtilization()
  private cpuBase: { user: number, system: number }
  private peers: Record<string, number> = {}

  constructor (private readonly cpu: CpuClock) {
    this.cpuBase = cpu()
  }

  /** Starts the event-loop delay monitor (instrumented listeners only). */
  watchLoop (): void {
    this.loop.enable()
  }

  /** Server time of a request that began at `t0` (performance.now()), in microseconds. */
  recordSince (t0: number): void {
    this.hist.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)))
  }

  /** A connection accepted: counted, its peer noted, followed until it closes. */
  /** A connection accepted; `onClose` runs when it closes (on the one close listener the counters add). */
  accepted (sock: Socket, onClose?: () => void): void {
    this.accepts++
    const peer = sock.remoteAddress ?? '?'
    if (this.peers[peer] !== undefined || Object.keys(this.peers).length < MAX_PEERS) this.peers[peer] = (this.peers[peer] ?? 0) + 1
    this.open++
    this.sockets.add(sock)
    sock.once('close', () => { this.open--; this.sockets.delete(sock); onClose?.() })
  }

  /** A UDP flow new to this listener, from `address`: counted as a connection accepted would be (it is never open). */
  flowSeen (address: string): void {
    this.accepts++
    if (this.peers[address] !== undefined || Object.keys(this.peers).length < MAX_PEERS) this.peers[address] = (this.peers[address] ?? 0) + 1
  }

  stats (steering: ListenerStats['steering'], rssBytes: number): ListenerStats {
    const now = this.cpu()
    const loop = this.loop
    return {
      accepts: this.accepts,
      requests: this.requests,
      errors: this.errors,
      resets: this.resets,
      open: this.open,
      cpuUserUs: Math.max(0, now.user - this.cpuBase.user),
      cpuSystemUs: Math.max(0, now.system - this.cpuBase.system),
      rssBytes,
      histogram: encodeHistogram(this.hist),
      peers: this.peers,
      loopDelayMs: loop.count === 0 ? { p50: 0, p99: 0, max: 0 } : { p50: beyond(loop.percentile(50)), p99: beyond(loop.percentile(99)), max: beyond(loop.max) },
      loopUtilization: Math.round(performance.eventLoopUtilization(this.eluBase).utilization * 1000) / 1000,
      ...(steering === undefined ? {} : { steering })
    }
  }

  reset (): void {
    this.accepts = 0
    this.requests = 0
    this.errors = 0
    this.resets = 0
    this.peers = {}
    this.hist.reset()
    this.loop.reset()
    this.eluBase = performance.eventLoopUtilization()
    this.cpuBase = this.cpu()
  }
}
