/**
 * The load results of several client threads as one: counters added,
 * histograms merged (HDR histograms add exactly), latency by listener merged
 * per listener, errors put together; the CPU is the whole process's, measured
 * by the caller over the same load.
 */
import { mergeEncoded } from '../collect/histogram.js'
import type { LatencySummary, LoadResult } from '../types/load.js'

const sum = (parts: readonly LoadResult[], f: (r: LoadResult) => number): number => parts.reduce((a, r) => a + f(r), 0)

/** Merged histograms, summarized (ms) and encoded. */
function merged (encoded: readonly string[]): { latencyMs: LatencySummary, histogram: string } {
  const m = mergeEncoded(encoded, 1000)
  return { latencyMs: m.summary, histogram: m.encoded }
}

function byListener (parts: readonly LoadResult[]): LoadResult['byListener'] {
  const indexes = [...new Set(parts.flatMap(p => p.byListener.map(b => b.index)))].sort((a, b) => a - b)
  return indexes.map(index => {
    const of = parts.flatMap(p => p.byListener.filter(b => b.index === index))
    const m = merged(of.flatMap(b => b.histogram === undefined ? [] : [b.histogram]))
    return { index, responses: of.reduce((a, b) => a + b.responses, 0), latencyMs: m.latencyMs, histogram: m.histogram }
  })
}

function errorCodes (parts: readonly LoadResult[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of parts) for (const [k, v] of Object.entries(p.errorCodes)) out[k] = (out[k] ?? 0) + v
  return out
}

/** One result from the threads' `parts` (at least one), with the process's CPU over the load. */
export function mergeLoadResults (parts: readonly LoadResult[], cpu: LoadResult['cpu']): LoadResult {
  const durationSec = Math.max(...parts.map(p => p.durationSec))
  const responses = sum(parts, r => r.responses)
  const out: LoadResult = {
    requests: sum(parts, r => r.requests),
    responses,
    autocannonResponses: sum(parts, r => r.autocannonResponses),
    sent: sum(parts, r => r.sent),
    errors: sum(parts, r => r.errors),
    timeouts: sum(parts, r => r.timeouts),
    non2xx: sum(parts, r => r.non2xx),
    connectionsOpened: sum(parts, r => r.connectionsOpened),
    durationSec,
    rps: Math.round(responses / durationSec),
    bytes: sum(parts, r => r.bytes),
    ...merged(parts.map(p => p.histogram)),
    byListener: byListener(parts),
    errorCodes: errorCodes(parts),
    errorTimesMs: parts.flatMap(p => p.errorTimesMs).sort((a, b) => a - b).slice(0, 10_000),
    cpu
  }
  const corrected = parts.flatMap(p => p.correctedHistogram === undefined ? [] : [p.correctedHistogram])
  if (corrected.length > 0) {
    const c = merged(corrected)
    out.correctedLatencyMs = c.latencyMs
    out.correctedHistogram = c.histogram
  }
  // Each thread has flows of its own: their figures add up.
  const udp = parts.flatMap(p => p.udp === undefined ? [] : [p.udp])
  if (udp.length > 0) out.udp = { unanswered: udp.reduce((a, u) => a + u.unanswered, 0), flowListeners: udp.reduce((a, u) => a + u.flowListeners, 0), splitFlows: udp.reduce((a, u) => a + u.splitFlows, 0) }
  const paced = parts.flatMap(p => p.paced === undefined ? [] : [p.paced])
  if (paced.length > 0) out.paced = { intervalUs: Math.round(10 / paced.reduce((a, p) => a + 1 / p.intervalUs, 0)) / 10, intended: paced.reduce((a, p) => a + p.intended, 0), late: paced.reduce((a, p) => a + p.late, 0), unsent: paced.reduce((a, p) => a + p.unsent, 0) }
  return out
}

/** `total` split into `n` shares that differ by at most one and add up to it. */
export function shares (total: number, n: number): number[] {
  return Array.from({ length: n }, (_x, i) => Math.floor(total / n) + (i < total % n ? 1 : 0))
}
