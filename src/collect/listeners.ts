/**
 * Listener figures from the listeners' stats messages: one result per listener
 * index, folding in the processes a rolling restart replaced, and their memory.
 * What a cell's record makes of them together is analyse/listenerFigures.ts.
 */
import { mergeEncoded, summarizeEncoded } from './histogram.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { ListenerResult } from '../types/run.js'

/** A listener's result from its snapshot; the eBPF program's state and the stall windows go to the cell's scenario instead (engine/cell.ts). */
export function listenerResult (s: ListenerSnapshot): ListenerResult {
  const { open: _open, cpuUserUs, cpuSystemUs, stallWindows: _windows, steering, ...counts } = s.stats
  const steer = steering === undefined ? {} : { steering: { attached: steering.attached, ...(steering.detached === undefined ? {} : { detached: steering.detached }) } }
  return { index: s.index, pid: s.pid, ...(s.tid === undefined ? {} : { tid: s.tid }), ...counts, ...steer, cpuMs: Math.round((cpuUserUs + cpuSystemUs) / 1000), latencyUs: summarizeEncoded(s.stats.histogram) }
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

/** The listeners' processes' resident memory, each process once (threads of one process report its one figure each). */
export function memoryOf (listeners: ReadonlyArray<Pick<ListenerResult, 'pid' | 'rssBytes'>>): { rssBytes: number, processes: number } {
  const byPid = new Map<number, number>()
  for (const l of listeners) byPid.set(l.pid, Math.max(byPid.get(l.pid) ?? 0, l.rssBytes))
  return { rssBytes: [...byPid.values()].reduce((a, b) => a + b, 0), processes: byPid.size }
}
