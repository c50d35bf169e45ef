/**
 * The report's latency section: percentile spectra, one chart per
 * configuration (workers, connections) so that different loads are never
 * drawn as one line; inside a chart one line per mode in its colour, the
 * trials of that one cell pooled (merged histograms). Then every run's
 * percentiles in a table keyed by its cell.
 */
import { wordsOf, wordsOfAll } from '../../analyse/words.js'
import { mergeEncoded, spectrum } from '../../collect/histogram.js'
import { num } from '../format.js'
import { modeColor } from './colors.js'
import { htmlTable } from './table.js'
import type { Markup } from './markup.js'
import { html } from './markup.js'
import { spectrumChart } from './svg.js'
import type { TableCell } from './table.js'
import type { ModeRun } from '../../types/run.js'

/** Charts beyond this many configurations are left to the table. */
const MOST_CONFIG_CHARTS = 6

interface Line { name: string, color: string, dash: string, client: string, server: string }

const lineName = (r: ModeRun): string => `${r.mode}${r.variant === undefined ? '' : ' [migrate]'}`

const pool = (hs: readonly string[]): string => hs.length === 1 ? hs[0] ?? '' : mergeEncoded(hs).encoded

/** One line per mode (and variant) of one configuration, its trials pooled. */
function linesOf (runs: readonly ModeRun[]): Line[] {
  return [...new Set(runs.map(lineName))].sort().map(name => {
    const of = runs.filter(r => lineName(r) === name)
    const first = of[0]
    return {
      name: of.length > 1 ? `${name} (${of.length} trials)` : name,
      color: modeColor(first?.mode ?? name),
      dash: first?.variant === undefined ? '' : '6 3',
      client: pool(of.map(r => r.client.histogram)),
      server: pool(of.map(r => r.serverHistogram))
    }
  })
}

function configCharts (what: string, runs: readonly ModeRun[]): Markup {
  const lines = linesOf(runs)
  const client = spectrumChart(`${what}client round-trip latency by percentile`, lines.map(l => ({ name: l.name, color: l.color, dash: l.dash, points: spectrum(l.client, 1000) })), { unit: 'ms' })
  const server = spectrumChart(`${what}server processing time by percentile (all listeners merged)`, lines.map(l => ({ name: l.name, color: l.color, dash: l.dash, points: spectrum(l.server, 1) })), { unit: 'us' })
  return html`<figure>${client}<figcaption>${what}client round trip: from writing a request to receiving the whole response, measured by the load generator. Not corrected for coordinated omission (a connection's next request waits for the previous response); with --rate the table also gives a corrected p99.</figcaption></figure>
<figure>${server}<figcaption>${what}server processing time: inside the listener, from the parsed request to the response handed to the socket. Excludes time in accept and socket queues.</figcaption></figure>`
}

export function latencySection (runs: readonly ModeRun[]): Markup {
  const configs = [...new Set([...runs].sort((a, b) => a.workers - b.workers || a.load.connections - b.load.connections).map(r => `${r.workers}|${r.load.connections}`))]
  const grid = configs.length > 1 || runs.some(r => r.trial > 1)
  const charts = configs.slice(0, MOST_CONFIG_CHARTS).map(key => {
    const here = runs.filter(r => `${r.workers}|${r.load.connections}` === key)
    const first = here[0]
    const what = configs.length > 1 && first !== undefined ? `${first.workers} workers, ${first.load.connections} ${wordsOf(first).connections}: ` : ''
    return configCharts(what, here)
  })
  const more = configs.length > MOST_CONFIG_CHARTS ? html`<p class="sub">Charts for the first ${MOST_CONFIG_CHARTS} of ${configs.length} configurations; every run is in the table.</p>` : ''
  const ordered = grid ? [...runs].sort((a, b) => a.workers - b.workers || a.load.connections - b.load.connections || a.mode.localeCompare(b.mode) || a.trial - b.trial) : runs
  const rows: TableCell[][] = ordered.map(r => [lineName(r), ...(grid ? [r.workers, r.load.connections, r.trial] : []), num(r.client.latencyMs.p50, 3), num(r.client.latencyMs.p90, 3), num(r.client.latencyMs.p99, 3), num(r.client.latencyMs.p999, 3), num(r.client.latencyMs.max, 3),
    num(r.client.correctedLatencyMs?.p99, 3), num(r.serverLatencyUs.p50), num(r.serverLatencyUs.p99), num(r.serverLatencyUs.p999), num(r.serverLatencyUs.max)])
  const head = ['mode', ...(grid ? ['workers', wordsOfAll(runs).connections, 'trial'] : []), 'client p50 ms', 'p90', 'p99', 'p99.9', 'max', 'corrected p99', 'server p50 us', 'p99', 'p99.9', 'max']
  return html`<h2>Latency</h2>
<div class="charts">${charts}</div>${more}
${htmlTable(head, rows, { caption: 'Latency percentiles of every run' })}`
}
