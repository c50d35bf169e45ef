/**
 * Two or more results side by side (Linux vs FreeBSD, before vs after),
 * aligned by mode and worker count, with each result's ratio to the first.
 */
import { headline } from '../../analyse/headline.js'
import type { Headline } from '../../analyse/headline.js'
import { spectrum } from '../../collect/histogram.js'
import { esc, htmlTable } from './escape.js'
import { num, percent, ratio } from '../format.js'
import { page } from './page.js'
import { spectrumChart } from './svg.js'
import type { ProbeDoc, ResultDoc } from '../../types/docs.js'
import type { TableCell } from './escape.js'

export interface Named { name: string, doc: ResultDoc }

const headlineCells = (h: Headline): string[] => [num(h.rps), num(h.p99Ms, 3), num(h.jain, 3), percent(h.busiestShare, 0)]

/** req/s, p99 and Jain of `r` over the first result's. */
function ratios (r: ResultDoc['runs'][number] | undefined, base: ResultDoc['runs'][number] | undefined): string[] {
  const a = r === undefined ? undefined : headline(r)
  const b = base === undefined ? undefined : headline(base)
  return [ratio(a?.rps, b?.rps), ratio(a?.p99Ms, b?.p99Ms), ratio(a?.jain, b?.jain)]
}

function describe (d: ResultDoc): string {
  return `${d.host.platform} ${d.host.release}, ${d.host.cpus} CPUs, Node ${d.host.node}, ${d.createdAt}${d.label === '' ? '' : `, label "${d.label}"`}`
}

function probeComparison (named: ReadonlyArray<{ name: string, probe: ProbeDoc }>): string {
  if (named.length < 2) return ''
  const key = (c: ProbeDoc['cells'][number]): string => `${c.group}|${c.experiment}|${c.pair ?? `${c.addrA}|${c.addrB}`}|${c.reuseaddr}|${c.reuseport}`
  const first = named[0]
  if (first === undefined) return ''
  const rows: TableCell[][] = []
  const differs: boolean[] = []
  for (const c of first.probe.cells.filter(x => !x.extra)) {
    const outcomes = named.map(n => n.probe.cells.find(x => key(x) === key(c))?.outcome ?? 'not run')
    differs.push(new Set(outcomes).size > 1)
    rows.push([c.experiment, c.pair ?? '', c.reuseaddr, c.reuseport, ...outcomes])
  }
  return `<h2>Bind/listen matrix side by side</h2>
<p class="sub">The article's 24 cells as measured (or, for a fixture, as transcribed) in each result; rows where the results differ are highlighted.</p>
${htmlTable(['experiment', 'addresses', 'REUSEADDR', 'REUSEPORT', ...named.map(n => n.name)], rows, { rowClass: i => differs[i] === true ? 'mismatch' : '' })}`
}

export function renderCompare (named: readonly Named[]): string {
  // Aligned by mode (and variant), workers and connections; with trials, the first trial of each.
  type Run = ResultDoc['runs'][number]
  const keyOf = (r: Run): string => `${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`}|${r.workers}|${r.load.connections}`
  const keys: Array<{ key: string, label: string, workers: number, connections: number }> = []
  for (const n of named) {
    for (const r of n.doc.runs) {
      if (!keys.some(k => k.key === keyOf(r))) keys.push({ key: keyOf(r), label: `${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`}`, workers: r.workers, connections: r.load.connections })
    }
  }
  const find = (n: Named, key: string): Run | undefined => n.doc.runs.find(r => keyOf(r) === key)
  const head = ['mode', 'workers', 'connections', ...named.flatMap(n => [`${n.name} req/s`, `${n.name} p99 ms`, `${n.name} Jain`, `${n.name} busiest`]), ...named.slice(1).flatMap(n => [`${n.name} / ${named[0]?.name ?? ''} req/s`, 'p99', 'Jain'])]
  const rows: TableCell[][] = keys.map(k => {
    const runs = named.map(n => find(n, k.key))
    const base = runs[0]
    return [k.label, k.workers, k.connections,
      ...runs.flatMap(r => r === undefined ? ['-', '-', '-', '-'] : headlineCells(headline(r))),
      ...runs.slice(1).flatMap(r => ratios(r, base))]
  })
  const charts = keys.map(k => {
    const series = named.flatMap(n => {
      const r = find(n, k.key)
      return r === undefined ? [] : [{ name: n.name, points: spectrum(r.client.histogram, 1000) }]
    })
    const what = `${k.label}, ${k.workers} workers, ${k.connections} connections`
    return `<figure>${spectrumChart(`${what}: client latency by percentile`, series, { unit: 'ms', width: 520, height: 260 })}<figcaption>${esc(what)}: client round trip (ms).</figcaption></figure>`
  }).join('')
  const fixtures = named.filter(n => n.doc.fixture !== undefined)
  const probes = named.flatMap(n => n.doc.probe === undefined ? [] : [{ name: n.name, probe: n.doc.probe }])
  const body = `<header><h1>reuseport-bench comparison</h1><p class="sub">${named.length} results, aligned by mode, worker count and connections (the first trial where there are several); ratios are to the first (${esc(named[0]?.name ?? '')}).</p></header>
${named.filter(n => n.doc.status === 'partial').map(n => `<p class="fixture">PARTIAL RESULT - ${esc(n.name)}: ${esc(n.doc.failure?.message ?? '')}</p>`).join('')}
${fixtures.map(f => `<p class="fixture">FIXTURE, NOT A MEASUREMENT - ${esc(f.name)}: ${esc(f.doc.fixture ?? '')}</p>`).join('')}
${htmlTable(['name', 'source'], named.map(n => [n.name, describe(n.doc)]), { caption: 'Results' })}
<h2>Modes</h2>
${htmlTable(head, rows)}
<div class="charts">${charts}</div>
${probeComparison(probes)}
<h2>Commands</h2>
${named.map(n => `<h3>${esc(n.name)}</h3><pre>${esc(n.doc.command)}</pre>`).join('')}`
  return page('reuseport-bench comparison', body)
}
