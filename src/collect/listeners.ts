/**
 * Listener figures from the listeners' stats messages: one result per listener
 * index, folding in the processes a rolling restart replaced.
 */
import { encodeHistogram, mergeHistograms, summarizeEncoded } from './histogram.js'
import type { LatencySummary } from './histogram.js'
import type { ListenerSnapshot } from '../topology/group.js'

export interface ListenerResult {
  index: number
  pid: number
  accepts: number
  requests: number
  errors: number
  /** Connections the client reset (autocannon does this to every connection when it stops). */
  resets: number
  cpuMs: number
  rssBytes: number
  /** Server processing time per request (request parsed to response handed to the socket), microseconds. */
  latencyUs: LatencySummary
  histogram: string
  /** Event-loop delay in the listener: how long ready work (accepts, requests) waited, ms. */
  loopDelayMs: { p50: number, p99: number, max: number }
  /** Accepted connections by peer address. */
  peers: Record<string, number>
  /** Processes that served this index before a rolling restart replaced them. */
  replacedPids?: number[]
  steering?: { attached: boolean, detached?: string }
}

export function listenerResult (s: ListenerSnapshot): ListenerResult {
  return {
    index: s.index,
    pid: s.pid,
    accepts: s.stats.accepts,
    requests: s.stats.requests,
    errors: s.stats.errors,
    resets: s.stats.resets,
    cpuMs: Math.round((s.stats.cpuUserUs + s.stats.cpuSystemUs) / 1000),
    rssBytes: s.stats.rssBytes,
    latencyUs: summarizeEncoded(s.stats.histogram),
    histogram: s.stats.histogram,
    loopDelayMs: s.stats.loopDelayMs,
    peers: s.stats.peers,
    ...(s.stats.steering === undefined ? {} : { steering: s.stats.steering })
  }
}

/** One result per listener index: the current process's figures plus those of the processes a restart replaced. */
export function combineByIndex (final: readonly ListenerSnapshot[], retired: readonly ListenerSnapshot[]): ListenerResult[] {
  return final.map(f => {
    const old = retired.filter(r => r.index === f.index)
    if (old.length === 0) return listenerResult(f)
    const all = [...old, f]
    const merged = mergeHistograms(all.map(x => x.stats.histogram))
    const histogram = encodeHistogram(merged)
    merged.destroy()
    const sum = (k: 'accepts' | 'requests' | 'errors' | 'resets' | 'cpuUserUs' | 'cpuSystemUs'): number => all.reduce((a, x) => a + x.stats[k], 0)
    return {
      ...listenerResult(f),
      accepts: sum('accepts'),
      requests: sum('requests'),
      errors: sum('errors'),
      resets: sum('resets'),
      cpuMs: Math.round((sum('cpuUserUs') + sum('cpuSystemUs')) / 1000),
      latencyUs: summarizeEncoded(histogram),
      histogram,
      peers: all.reduce<Record<string, number>>((acc, x) => { for (const [k, v] of Object.entries(x.stats.peers)) acc[k] = (acc[k] ?? 0) + v; return acc }, {}),
      loopDelayMs: { p50: Math.max(...all.map(x => x.stats.loopDelayMs.p50)), p99: Math.max(...all.map(x => x.stats.loopDelayMs.p99)), max: Math.max(...all.map(x => x.stats.loopDelayMs.max)) },
      replacedPids: old.map(x => x.pid)
    }
  })
}
