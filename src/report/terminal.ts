/**
 * Plain-text tables for the terminal: one per mode, then the comparison.
 */
import { summarizeEncoded } from '../collect/histogram.js'
import { fairness } from '../analyse/fairness.js'
import { datagramText, describeChurn, fairnessText, invalidText, loadGeneratorText, num, placementText, share } from './format.js'
import { briefly, comparisonRows, listenerRows, pairedRows, sweepRows } from './rows.js'
import type { Rows } from './rows.js'
import { scenarioLines } from './scenario.js'
import { kernelLines } from './kernel.js'
import { hostsLines } from './hosts.js'
import type { Comparison, PairedComparison, SweepCell } from '../types/docs.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { ModeRun } from '../types/run.js'
import { defaultDriver, loadDriver } from '../load/drivers/index.js'
import { TCP_WORDS, UDP_WORDS, wordsOf } from '../analyse/words.js'
import type { Words } from '../analyse/words.js'

const NUMERIC = /^[-+]?[\d.,%/]*\d[\d.,%/]*x?$|^-$|^unbounded$|^$/

/** Right-aligns columns that hold only numbers, left-aligns the others. */
export function table (head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const right = head.map((_h, i) => i > 0 && rows.every(r => NUMERIC.test(r[i] ?? '')))
  const line = (r: string[]): string => r.map((c, i) => right[i] === true ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(head), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** Rows as a terminal table (their brief columns). */
export function textTable (t: Rows): string {
  const b = briefly(t)
  return table(b.head, b.rows)
}

/** With --rate: the rate asked beside the rate delivered, and how the driver that ran (`driver`; the default at that rate where a result did not record it) says it paced. */
function rateLines (r: ModeRun, driver: string | undefined): string[] {
  if (r.load.rate <= 0) return []
  const how = (driver === undefined ? defaultDriver(r.load.rate) : loadDriver(driver)).rateText(r.client)
  const w = wordsOf(r)
  return [`rate: asked ${num(r.load.rate)} ${w.rate}, delivered ${num(r.client.rps)} ${w.rate} (${num(r.client.rps / r.load.rate * 100, 1)}%); ${how}`]
}

/** A UDP run: where its datagrams went (analyse/datagramAccounting.ts). */
function datagramLines (r: ModeRun): string[] {
  const text = datagramText(r)
  return text === undefined ? [] : [`datagrams: ${text}`]
}

export function formatModeRun (r: ModeRun, driver?: string): string {
  const f = r.fairness
  const c = r.client
  const w = wordsOf(r)
  const how = c.udp === undefined ? `, ${describeChurn(r.load.churn)}` : ' of UDP'
  return [
    `== ${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`} (${r.socketOption}): ${r.workers} listener${r.workers === 1 ? '' : 's'} on port ${r.port}, ${r.load.connections} ${w.connections}, ${r.load.durationSec} s${how}${r.load.rate > 0 ? `, ${r.load.rate} ${w.rate}` : ''} (ready in ${r.readyMs} ms)`,
    ...(r.socketNote === '' ? [] : [`note: ${r.socketNote}`]),
    textTable(listenerRows(r)),
    ...scenarioLines(r),
    ...kernelLines(r, textTable),
    // A UDP run: its datagrams' spread; its flows' only where each was kept to one listener.
    ...(c.udp === undefined || r.placement !== undefined ? [`fairness of ${w.accepts}: ${fairnessText(f)}`] : []),
    ...(r.placement === undefined ? [] : [`  ${placementText(r.placement, w.connections)}`]),
    ...(c.udp === undefined ? [] : [`fairness of datagrams: ${fairnessText(r.requestFairness)}`]),
    ...invalidText(r),
    `client: ${num(c.rps)} ${w.rate}, latency ${c.responses === 0 ? 'no data (no responses)' : `p50 ${num(c.latencyMs.p50, 3)} ms, p99 ${num(c.latencyMs.p99, 3)} ms, max ${num(c.latencyMs.max, 3)} ms`}; errors ${c.errors}, timeouts ${c.timeouts}, non-2xx ${c.non2xx}` +
      (c.correctedLatencyMs !== undefined ? `; corrected for coordinated omission p99 ${num(c.correctedLatencyMs.p99, 3)} ms` : ''),
    ...rateLines(r, driver),
    c.udp === undefined
      ? `accounting: client opened ${c.connectionsOpened} connections, listeners accepted ${r.accounting.listenerAccepts}; ${r.accounting.note}`
      : `accounting: the client's ${c.connectionsOpened} flows were answered by ${r.accounting.clientConnections} flow-listener pairs, the listeners saw ${r.accounting.listenerAccepts}; ${r.accounting.note}`,
    ...datagramLines(r),
    ...(r.memory === undefined ? [] : [`memory: ${num(r.memory.rssBytes / 1048576, 1)} MiB resident in ${r.memory.processes} listener process${r.memory.processes === 1 ? '' : 'es'}${r.memory.processes < r.workers ? ` (${r.workers} listeners are its threads)` : ''}`]),
    `load generator: ${loadGeneratorText(r)}`,
    ...hostsLines(r.hosts)
  ].join('\n')
}

export function formatComparison (runs: readonly ModeRun[], comparison: readonly Comparison[]): string {
  const base = comparison[0]?.baseline
  return `== comparison${base === undefined ? ' (no shared-accept baseline in this run: ratios need --modes to include shared)' : ` (x = ratio to the ${base}-accept baseline)`}\n${textTable(comparisonRows(runs, comparison))}`
}

/** The table `serve` prints when it stops. */
export function formatSnapshots (mode: string, snaps: readonly ListenerSnapshot[]): string {
  // UDP listeners count flows as accepts and datagrams as requests.
  const w = snaps.some(s => s.stats.udp !== undefined) ? UDP_WORDS : TCP_WORDS
  const totalA = snaps.reduce((a, s) => a + s.stats.accepts, 0)
  const totalR = snaps.reduce((a, s) => a + s.stats.requests, 0)
  const rows = snaps.map(s => {
    const lat = summarizeEncoded(s.stats.histogram)
    return [String(s.index), String(s.pid), num(s.stats.accepts), share(s.stats.accepts, totalA), num(s.stats.requests), share(s.stats.requests, totalR), num(lat.p50), num(lat.p99)]
  })
  return [
    `== ${mode}: ${snaps.length} listener${snaps.length === 1 ? '' : 's'}`,
    table(['#', 'pid', w.accepts, 'share', w.requests, 'share', 'srv p50 us', 'srv p99 us'], rows),
    `fairness of ${w.accepts}: ${fairnessText(fairness(snaps.map(s => s.stats.accepts)))}`
  ].join('\n')
}

/** The sweep: one row per cell, medians with 95% bootstrap intervals. */
export function formatSweep (cells: readonly SweepCell[], unit: 'trial' | 'round' = 'trial', w: Words = TCP_WORDS): string {
  return `== sweep: medians of the ${unit}s, with a 95% bootstrap interval from 10 ${unit}s, the min-max range below, none for one ${unit}\n${textTable(sweepRows(cells, unit, w))}`
}

/** Paired trials: each pair of modes per configuration, its ratios with a 95% interval and what they find. */
export function formatPaired (paired: readonly PairedComparison[], unit: 'trial' | 'round' = 'trial', w: Words = TCP_WORDS): string {
  return `== paired ${unit}s: mode / against, geometric mean of the pairs' ratios with a 95% t interval; a difference only where it excludes 1\n${textTable(pairedRows(paired, unit, w))}`
}
