/**
 * Two or more results side by side (Linux vs FreeBSD, before vs after),
 * aligned by mode and worker count, with each result's ratio to the first.
 */
import { wordsOfAll } from '../../analyse/words.js'
import { spectrum } from '../../collect/histogram.js'
import { htmlTable } from './table.js'
import type { Markup } from './markup.js'
import { html, pageText } from './markup.js'
import { cellFigures, cellKeys } from '../compareCells.js'
import type { CellFigures, CellKey, Named } from '../compareCells.js'
import { num, percent, ratio } from '../format.js'
import { page } from './page.js'
import { spectrumChart } from './svg.js'
import { modeColor, resultDash } from './colors.js'
import type { ResultDoc } from '../../types/docs.js'
import type { ProbeDoc } from '../../types/probe.js'
import type { TableCell } from './table.js'
import { compareHeadline, emulatedOf, probeKey } from '../compareHeadline.js'

const cells = (f: CellFigures | undefined): string[] => f === undefined ? ['-', '-', '-', '-'] : [num(f.rps), num(f.p99Ms, 3), num(f.jain, 3), percent(f.busiestShare, 0)]

/** req/s, p99 and Jain of `f` over the first result's (medians of their trials). */
function ratios (f: CellFigures | undefined, base: CellFigures | undefined): string[] {
  return [ratio(f?.rps, base?.rps), ratio(f?.p99Ms, base?.p99Ms), ratio(f?.jain, base?.jain)]
}

/** A loud banner for plans that differ in more than the host. */
function differencesBanner (differences: readonly string[]): Markup | '' {
  if (differences.length === 0) return ''
  return html`<p class="fixture">THESE RESULTS WERE NOT MEASURED THE SAME WAY: ${differences.join('; ')}. Ratios below compare different loads, not only different hosts.</p>`
}

function describe (d: ResultDoc): string {
  return `${d.host.platform} ${d.host.release}, ${d.host.cpus} CPUs, Node ${d.host.node}, ${d.createdAt}${d.label === '' ? '' : `, label "${d.label}"`}`
}

function probeComparison (named: ReadonlyArray<{ name: string, probe: ProbeDoc }>): Markup | '' {
  if (named.length < 2) return ''
  const first = named[0]
  if (first === undefined) return ''
  const rows: TableCell[][] = []
  const differs: boolean[] = []
  for (const c of first.probe.cells.filter(x => !x.extra)) {
    const outcomes = named.map(n => n.probe.cells.find(x => probeKey(x) === probeKey(c))?.outcome ?? 'not run')
    differs.push(new Set(outcomes).size > 1)
    rows.push([c.experiment, c.pair ?? '', c.reuseaddr, c.reuseport, ...outcomes])
  }
  return html`<h2>Bind/listen matrix side by side</h2>
<p class="sub">The article's 24 cells as measured (or, for a fixture, as transcribed) in each result; rows where the results differ are highlighted.</p>
${htmlTable(['experiment', 'addresses', 'REUSEADDR', 'REUSEPORT', ...named.map(n => n.name)], rows, { rowClass: i => differs[i] === true ? 'mismatch' : '' })}`
}

/** One latency chart per configuration: a line per mode (its colour) and result (its dash pattern). */
function configCharts (named: readonly Named[], keys: readonly CellKey[]): Markup[] {
  const configs = [...new Set(keys.map(k => `${k.workers}|${k.connections}`))]
  return configs.map(cfg => {
    const here = keys.filter(k => `${k.workers}|${k.connections}` === cfg)
    const series = here.flatMap(k => named.flatMap((n, i) => {
      const f = cellFigures(n.doc, k.key)
      return f === undefined ? [] : [{ name: `${k.label} - ${n.name}`, color: modeColor(k.label), dash: resultDash(i), points: spectrum(f.histogram, 1000) }]
    }))
    const first = here[0]
    const what = `${first?.workers ?? 0} workers, ${first?.connections ?? 0} connections`
    const dashes = named.map((n, i) => `${n.name} ${['solid', 'dashed', 'dotted', 'dash-dot'][i % 4] ?? ''}`).join(', ')
    return html`<figure>${spectrumChart(`${what}: client latency by percentile`, series, { unit: 'ms', width: 560, height: 280 })}<figcaption>${what}: client round trip (ms), the median-throughput trial of each result; colour is the mode, line style the result (${dashes}).</figcaption></figure>`
  })
}

export function renderCompare (named: readonly Named[], differences: readonly string[] = []): string {
  // Aligned by mode (and variant), workers and connections; each cell summarised by the median of its trials.
  const keys = cellKeys(named)
  // compare refuses UDP beside TCP (cli/report.ts): the results share their words.
  const w = wordsOfAll(named.flatMap(n => n.doc.runs))
  const head = ['mode', 'workers', w.connections, ...named.flatMap(n => [`${n.name} ${w.rate}`, `${n.name} p99 ms`, `${n.name} Jain`, `${n.name} busiest`]), ...named.slice(1).flatMap(n => [`${n.name} / ${named[0]?.name ?? ''} ${w.rate}`, 'p99', 'Jain'])]
  const rows: TableCell[][] = keys.map(k => {
    const figures = named.map(n => cellFigures(n.doc, k.key))
    return [k.label, k.workers, k.connections, ...figures.flatMap(cells), ...figures.slice(1).flatMap(f => ratios(f, figures[0]))]
  })
  const charts = configCharts(named, keys)
  const fixtures = named.filter(n => n.doc.fixture !== undefined)
  const probes = named.flatMap(n => n.doc.probe === undefined ? [] : [{ name: n.name, probe: n.doc.probe }])
  const body = html`<header><h1>reuseport-bench comparison</h1><p class="sub">${named.length} results, aligned by mode, worker count and connections (the median of the trials where there are several); ratios are to the first (${named[0]?.name ?? ''}).</p></header>
<div class="headline">${compareHeadline(named).map(l => html`<p>${l}</p>`)}</div>
${differencesBanner(differences)}
${emulatedOf(named).map(n => html`<p class="fixture">EMULATED, SPEED NOT COMPARABLE - ${n.name}: measured in a guest under software emulation (${n.doc.host.virtualization?.evidence ?? ''}); its req/s, latency and the ratios to it measure the emulator. Its accounting and its bind/listen matrix are the kernel's.</p>`)}
${named.filter(n => n.doc.status === 'partial').map(n => html`<p class="fixture">PARTIAL RESULT - ${n.name}: ${n.doc.failure?.message ?? ''}</p>`)}
${fixtures.map(f => html`<p class="fixture">FIXTURE, NOT A MEASUREMENT - ${f.name}: ${f.doc.fixture ?? ''}</p>`)}
${htmlTable(['name', 'source'], named.map(n => [n.name, describe(n.doc)]), { caption: 'Results' })}
<h2>Modes</h2>
<div class="wide">${htmlTable(head, rows)}</div>
<div class="charts">${charts}</div>
${probeComparison(probes)}
<h2>Commands</h2>
${named.map(n => html`<h3>${n.name}</h3><pre>${n.doc.command}</pre>`)}`
  return pageText(page('reuseport-bench comparison', body))
}
