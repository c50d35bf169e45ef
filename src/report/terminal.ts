/**
 * Plain-text tables for the terminal: one per mode, then the comparison.
 */
import { comparisonFor } from '../analyse/compare.js'
import { summarizeEncoded } from '../collect/histogram.js'
import { fairness } from '../analyse/fairness.js'
import { describeChurn, fixed, percent, whole } from './format.js'
import { scenarioLines } from './scenario.js'
import type { Comparison, SweepCell } from '../types/docs.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { ModeRun } from '../types/run.js'

const NUMERIC = /^[-+]?[\d.,%/]*\d[\d.,%/]*$|^-$|^inf$|^$/

/** Right-aligns columns that hold only numbers, left-aligns the others. */
export function table (head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const right = head.map((_h, i) => i > 0 && rows.every(r => NUMERIC.test(r[i] ?? '')))
  const line = (r: string[]): string => r.map((c, i) => right[i] === true ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(head), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}


function share (part: number, total: number): string {
  return total === 0 ? '-' : percent(part / total)
}

export function formatModeRun (r: ModeRun): string {
  const totalA = r.listeners.reduce((a, l) => a + l.accepts, 0)
  const totalR = r.listeners.reduce((a, l) => a + l.requests, 0)
  const load = describeChurn(r.load.churn)
  const rows = r.listeners.map(l => {
    const cl = r.client.byListener?.find(b => b.index === l.index)
    return [
      String(l.index), String(l.pid), whole(l.accepts), share(l.accepts, totalA), whole(l.requests), share(l.requests, totalR),
      whole(l.latencyUs.p50), whole(l.latencyUs.p99), cl === undefined ? '-' : fixed(cl.latencyMs.p99, 2), fixed(l.loopDelayMs?.p99 ?? null, 1), whole(l.cpuMs)
    ]
  })
  const f = r.fairness
  const c = r.client
  const lg = r.loadGenerator
  return [
    `== ${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`} (${r.socketOption}): ${r.workers} listener${r.workers === 1 ? '' : 's'} on port ${r.port}, ${r.load.connections} connections, ${r.load.durationSec} s, ${load}${r.load.rate > 0 ? `, ${r.load.rate} req/s` : ''} (ready in ${r.readyMs} ms)`,
    ...(r.socketNote === '' ? [] : [`note: ${r.socketNote}`]),
    table(['#', 'pid', 'accepts', 'share', 'requests', 'share', 'srv p50 us', 'srv p99 us', 'client p99 ms', 'loop delay p99 ms', 'cpu ms'], rows),
    ...scenarioLines(r),
    `fairness of accepts: jain ${fixed(f.jain, 3)}, max/min ${f.maxMinRatio === null ? (f.idle > 0 ? `inf (${f.idle} got none)` : '-') : fixed(f.maxMinRatio)}, cov ${fixed(f.cov, 3)}, busiest ${percent(f.busiestShare)}`,
    `client: ${whole(c.rps)} req/s, latency p50 ${fixed(c.latencyMs.p50, 3)} ms, p99 ${fixed(c.latencyMs.p99, 3)} ms, max ${fixed(c.latencyMs.max, 3)} ms; errors ${c.errors}, timeouts ${c.timeouts}, non-2xx ${c.non2xx}` +
      (c.correctedLatencyMs !== undefined ? `; corrected for coordinated omission p99 ${fixed(c.correctedLatencyMs.p99, 3)} ms` : ''),
    `accounting: client opened ${c.connectionsOpened} connections, listeners accepted ${r.accounting.listenerAccepts}; ${r.accounting.note}`,
    `load generator: ${(lg.coreShare * 100).toFixed(0)}% of one core${lg.saturated ? ' - SATURATED: the client, not the listeners, limited throughput' : ''}`
  ].join('\n')
}

export function formatComparison (runs: readonly ModeRun[], comparison: readonly Comparison[]): string {
  const rows = runs.map(r => {
    const c = comparisonFor(comparison, r)
    return [
      r.mode + (r.variant === undefined ? '' : ` [${r.variant}]`), String(r.workers), whole(r.client.rps), fixed(r.client.latencyMs.p50, 3), fixed(r.client.latencyMs.p99, 3),
      fixed(r.fairness.jain, 3), r.fairness.maxMinRatio === null ? (r.fairness.idle > 0 ? 'inf' : '-') : fixed(r.fairness.maxMinRatio), percent(r.fairness.busiestShare),
      c === undefined ? '-' : fixed(c.throughputRatio), c === undefined ? '-' : fixed(c.p99Ratio), c === undefined ? '-' : fixed(c.jainRatio)
    ]
  })
  const head = ['mode', 'workers', 'req/s', 'p50 ms', 'p99 ms', 'jain', 'max/min', 'busiest', 'x req/s', 'x p99', 'x jain']
  const base = comparison[0]?.baseline
  return `== comparison${base === undefined ? ' (no shared-accept baseline in this run: ratios need --modes to include shared)' : ` (x = ratio to the ${base}-accept baseline)`}\n${table(head, rows)}`
}

/** The table `serve` prints when it stops. */
export function formatSnapshots (mode: string, snaps: readonly ListenerSnapshot[]): string {
  const totalA = snaps.reduce((a, s) => a + s.stats.accepts, 0)
  const totalR = snaps.reduce((a, s) => a + s.stats.requests, 0)
  const rows = snaps.map(s => {
    const lat = summarizeEncoded(s.stats.histogram)
    return [String(s.index), String(s.pid), whole(s.stats.accepts), share(s.stats.accepts, totalA), whole(s.stats.requests), share(s.stats.requests, totalR), whole(lat.p50), whole(lat.p99)]
  })
  const f = fairness(snaps.map(s => s.stats.accepts))
  return [
    `== ${mode}: ${snaps.length} listener${snaps.length === 1 ? '' : 's'}`,
    table(['#', 'pid', 'accepts', 'share', 'requests', 'share', 'srv p50 us', 'srv p99 us'], rows),
    `fairness of accepts: jain ${fixed(f.jain, 3)}, max/min ${fixed(f.maxMinRatio)}, cov ${fixed(f.cov, 3)}, busiest ${percent(f.busiestShare)}`
  ].join('\n')
}

/** The sweep: one row per cell, medians with 95% bootstrap intervals. */
export function formatSweep (cells: readonly SweepCell[]): string {
  const ci = (e: { median: number, lo: number, hi: number }, d: number): string => `${e.median.toFixed(d)} [${e.lo.toFixed(d)}, ${e.hi.toFixed(d)}]`
  const rows = cells.map(c => [c.mode, String(c.workers), String(c.connections), String(c.trials), ci(c.rps, 0), ci(c.p99Ms, 2), ci(c.jain, 3)])
  return `== sweep: medians of the trials with 95% bootstrap intervals\n${table(['mode', 'workers', 'connections', 'trials', 'req/s', 'p99 ms', 'jain'], rows)}`
}
