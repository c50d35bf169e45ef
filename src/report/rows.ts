/**
 * The tables of a result as rows of text, built once: the terminal
 * (terminal.ts, probeTable.ts) and the HTML report (html/) each render the
 * same rows; `brief` names the columns a terminal shows where the page shows more.
 */
import { comparisonFor } from '../analyse/compare.js'
import { headline } from '../analyse/headline.js'
import { interval, latencyText, maxMin, num, percent, share } from './format.js'
import type { PairUnit } from '../analyse/sweepVerdict.js'
import type { Comparison, PairedComparison, PairedRatio, SweepCell } from '../types/docs.js'
import type { ProbeDoc } from '../types/probe.js'
import type { ModeRun } from '../types/run.js'

export type { Rows } from '../types/presentation.js'
import type { Rows } from '../types/presentation.js'
import { TCP_WORDS, wordsOf, wordsOfAll } from '../analyse/words.js'
import type { Words } from '../analyse/words.js'

/** Only the `brief` columns. */
export function briefly (t: Rows): Rows {
  if (t.brief === undefined) return t
  const keep = t.brief
  const pick = (r: string[]): string[] => keep.map(i => r[i] ?? '')
  return { head: pick(t.head), rows: t.rows.map(pick) }
}

/** One row per listener of a run: counts, shares, server latency, client latency by listener, loop delay, CPU, memory (a thread's is its process's). */
export function listenerRows (r: ModeRun): Rows {
  const totalA = r.listeners.reduce((a, l) => a + l.accepts, 0)
  const totalR = r.listeners.reduce((a, l) => a + l.requests, 0)
  const rows = r.listeners.map(l => {
    const cl = r.client.byListener?.find(b => b.index === l.index)
    return [String(l.index), l.tid === undefined ? String(l.pid) : `${l.pid} thread ${l.tid}`, num(l.accepts), share(l.accepts, totalA), num(l.requests), share(l.requests, totalR), String(l.errors), String(l.resets),
      num(l.latencyUs.p50), num(l.latencyUs.p99), num(l.latencyUs.max), num(cl?.latencyMs.p99, 2), num(l.loopDelayMs?.p99, 1), percent(l.loopUtilization, 0), num(l.cpuMs), num(l.rssBytes / 1048576, 1)]
  })
  const w = wordsOf(r)
  const head = ['#', 'pid', w.accepts, 'share', w.requests, 'share', 'errors', 'resets', 'srv p50 us', 'srv p99 us', 'srv max us', 'client p99 ms', 'loop delay p99 ms', 'loop busy', 'cpu ms', 'rss MiB']
  return { head, rows, brief: [0, 1, 2, 3, 4, 5, 8, 9, 11, 12, 13, 14] }
}

/** Every run's headline figures and its ratios to the shared-accept baseline. */
export function comparisonRows (runs: readonly ModeRun[], comparison: readonly Comparison[]): Rows {
  // A grid: every row keyed by its whole cell, in grid order (mode, workers, connections, trial), not the shuffled run order.
  const grid = new Set(runs.map(r => `${r.workers}|${r.load.connections}|${r.trial}`)).size > 1
  const ordered = grid ? [...runs].sort((a, b) => a.mode.localeCompare(b.mode) || a.workers - b.workers || a.load.connections - b.load.connections || a.trial - b.trial) : runs
  const rows = ordered.map(r => {
    const h = headline(r)
    const c = comparisonFor(comparison, r)
    const x = (v: number | null | undefined): string => v === null || v === undefined ? '-' : `${num(v, 2)}x`
    return [`${h.name}${r.invalid === undefined ? '' : ' (invalid)'}`, String(h.workers), ...(grid ? [String(h.connections), String(h.trial)] : []), num(h.rps), latencyText(r.client, h.p50Ms), latencyText(r.client, h.p99Ms), num(h.jain, 3), maxMin(h.maxMinRatio, h.idle), percent(h.busiestShare), r.bottleneck?.kind ?? '-',
      x(c?.throughputRatio), x(c?.p99Ratio), x(c?.jainRatio)]
  })
  const w = wordsOfAll(runs)
  const head = ['mode', 'workers', ...(grid ? [w.connections, 'trial'] : []), w.rate, 'p50 ms', 'p99 ms', 'jain', 'max/min', 'busiest', 'bound', `x ${w.rate}`, 'x p99', 'x jain']
  return { head, rows }
}

/** One row per sweep cell: medians of its trials with the interval their number supports. */
export function sweepRows (cells: readonly SweepCell[], unit: PairUnit = 'trial', w: Words = TCP_WORDS): Rows {
  const memory = (c: SweepCell): string => c.memory === undefined ? '-' : `${num(c.memory.rssMiB.median, 1)} (${c.memory.processes} process${c.memory.processes === 1 ? '' : 'es'})`
  const rows = cells.map(c => [c.mode, String(c.workers), String(c.connections), `${c.trials}${c.hostUnstable === true ? ` (${NOT_COMPARABLE})` : ''}`, interval(c.rps, 0), interval(c.p99Ms, 2), interval(c.jain, 3), num(c.pooledP99Ms, 2), c.placement?.classification ?? '-', memory(c)])
  return { head: ['mode', 'workers', w.connections, `${unit}s`, w.rate, 'p99 ms', 'jain', 'pooled p99 ms', `${w.accepts} vs random placement (${unit}s together)`, 'rss MiB'], rows, brief: [0, 1, 2, 3, 4, 5, 6, 8, 9] }
}

/** How a configuration every round of which the host spoilt is marked, in every table. */
export const NOT_COMPARABLE = 'host unstable: not comparable'

/** "0.98x [0.95, 1.02]", "1.20x (no interval)". */
function pairedCell (p: PairedRatio): string {
  return p.lo === null || p.hi === null ? `${num(p.ratio, 2)}x (no interval)` : `${num(p.ratio, 2)}x [${num(p.lo, 2)}, ${num(p.hi, 2)}]`
}

/** What a paired ratio finds, in a word or two, with the trials that would resolve it. */
function pairedFinding (p: PairedRatio, higher: string, lower: string, unit: PairUnit): string {
  if (p.finding === 'higher') return higher
  if (p.finding === 'lower') return lower
  if (p.finding === 'no interval') return `1 ${unit}: no interval`
  if (p.trialsToResolve === null) return 'no measurable difference'
  return unit === 'round' ? `none measurable (${p.trialsToResolve} rounds)` : `none measurable (--trials ${p.trialsToResolve})`
}

/** One row per pair of modes at each configuration: their paired ratios and what they find. */
export function pairedRows (paired: readonly PairedComparison[], unit: PairUnit = 'trial', w: Words = TCP_WORDS): Rows {
  const rows = paired.map(c => [`${c.mode} / ${c.against}`, String(c.workers), String(c.connections), String(c.throughput.pairs.length),
    pairedCell(c.throughput), c.hostUnstable === true ? NOT_COMPARABLE : pairedFinding(c.throughput, 'faster', 'slower', unit), pairedCell(c.p99), c.hostUnstable === true ? NOT_COMPARABLE : pairedFinding(c.p99, 'longer tail', 'shorter tail', unit)])
  return { head: ['modes', 'workers', w.connections, 'pairs', `${w.rate} ratio`, `${w.rate} finding`, 'p99 ratio', 'p99 finding'], rows }
}

/** The bind/listen matrix, one row per cell; the first column is the group of rows it belongs to. */
export function probeRows (p: ProbeDoc): Rows {
  const rows = p.cells.map(c => [c.group, c.experiment, c.addrA, c.addrB, String(c.reuseaddr), String(c.reuseport),
    c.outcome + (c.failedAt !== undefined && c.outcome !== 'ok' ? ` (${c.failedAt})` : ''), c.expected ?? '-', c.matches === null ? '' : c.matches ? 'yes' : 'MISMATCH', c.note ?? ''])
  return { head: ['rows', 'experiment', 'socket A', 'socket B', 'REUSEADDR', 'REUSEPORT', 'measured', 'expected', 'match', 'note'], rows, brief: [1, 2, 3, 4, 5, 6, 7, 8, 9] }
}

/** The accept-order probe: the listener that served each sequential connection, and counts per listener. */
export function acceptOrderRows (p: ProbeDoc): Rows {
  const rows = p.acceptOrder.map(a => [a.mode, String(a.workers), a.sequence.join(','), a.counts.join('/'), num(a.fairness.jain, 3)])
  const styles = (p.acceptStyles ?? []).map(a => [`${a.style === 'blocking' ? 'blocking accept()' : 'epoll EPOLLEXCLUSIVE'} (one socket, no Node)`, String(a.workers), a.sequence.slice(0, p.options.sequence).join(','), a.counts.join('/'), num(a.fairness.jain, 3)])
  return { head: ['mode', 'workers', 'sequence', `counts of ${p.options.spread}`, 'jain'], rows: [...rows, ...styles] }
}
