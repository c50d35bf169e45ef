/**
 * Listener figures from the listeners' stats messages: one result per listener
 * index, folding in the processes a rolling restart replaced.
 */
import { mergeEncoded, summarizeEncoded } from './histogram.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { ListenerResult } from '../types/run.js'

export function listenerResult (s: ListenerSnapshot): ListenerResult {
  const { open: _open, cpuUserUs, cpuSystemUs, ...counts } = s.stats
  return { index: s.index, pid: s.pid, ...counts, cpuMs: Math.round((cpuUserUs + cpuSystemUs) / 1000), latencyUs: summarizeEncoded(s.stats.histogram) }
}

/** One result per listener index: the current process's figures plus those of the processes a restart replaced. */
export function combineByIndex (final: readonly ListenerSnapshot[], retired: readonly ListenerSnapshot[]): ListenerResult[] {
  return final.map(f => {
    const old = retired.filter(r => r.index === f.index)
    if (old.length === 0) return listenerResult(f)
    const all = [...old, f]
    const histogram = mergeEncoded(all.map(x => x.stats.histogram)).encoded
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
      loopUtilization: Math.max(...all.map(x => x.stats.loopUtilization ?? 0)),
      replacedPids: old.map(x => x.pid)
    }
  })
}
