/**
 * The self-contained HTML report of one result (and, when given, a probe):
 * a picture per configuration and the verdict in one sentence first, then
 * the verdict in full (folded), the evidence, and how to repeat the run.
 */
import { kernelSection } from './kernel.js'
import { datagramText, describeChurn, fairnessText, invalidText, latencyText, loadGeneratorText, num, placementText, share } from '../format.js'
import { verdictOf } from '../verdictOf.js'
import { summarySentence } from '../summary.js'
import { glanceSection } from './glance.js'
import { acceptOrderRows, comparisonRows, listenerRows, pairedRows, probeRows, sweepRows } from '../rows.js'
import { scenarioLines } from '../scenario.js'
import { hostsLines } from '../hosts.js'
import { rowsTable } from './table.js'
import type { Markup } from './markup.js'
import { html, join, pageText } from './markup.js'
import { page } from './page.js'
import { barChart, errorBarChart } from './svg.js'
import { modeColor } from './colors.js'
import { latencySection } from './latency.js'
import { hostTrackSection } from './hostTrack.js'
import { describeCpuSets } from '../../proc/cpus.js'
import type { ResultDoc, SweepCell } from '../../types/docs.js'
import type { ProbeDoc } from '../../types/probe.js'
import type { ModeRun } from '../../types/run.js'
import { wordsOf, wordsOfAll } from '../../analyse/words.js'
import type { Words } from '../../analyse/words.js'

/** Under a fairness chart: how many connections it rests on, and what random placement of as many gives. */
function sampleSize (r: ModeRun): string {
  const p = r.placement
  const n = r.accounting.listenerAccepts
  const range = p?.jainRange === null || p?.jainRange === undefined ? '' : `; random placement of as many gives a Jain's index of ${num(p.jainRange[0], 3)} to ${num(p.jainRange[1], 3)} in 95% of cases`
  return `n = ${num(n)} ${wordsOf(r).connections} on ${r.workers} listener${r.workers === 1 ? '' : 's'}${range}.`
}

/** What the accounting says, in the words of the run's protocol: a UDP run's flows and where its datagrams went. */
function accountingText (r: ModeRun): string {
  const d = r.accounting.datagrams
  if (d === undefined) return `the client opened ${r.accounting.clientConnections} connections and the listeners accepted ${r.accounting.listenerAccepts}; ${r.accounting.note}`
  return `the client's ${r.client.connectionsOpened} flows were answered by ${r.accounting.clientConnections} flow-listener pairs and the listeners saw ${r.accounting.listenerAccepts}; ${datagramText(r) ?? ''}; ${r.accounting.note}`
}

function modeSection (r: ModeRun, grid: boolean): Markup {
  const w = wordsOf(r)
  const udp = r.client.udp !== undefined
  const totalA = r.listeners.reduce((a, l) => a + l.accepts, 0)
  const totalR = r.listeners.reduce((a, l) => a + l.requests, 0)
  const accepts = barChart(`${r.mode}: ${udp ? 'flows seen' : 'accepted connections'} per listener`, r.listeners.map(l => ({ label: `#${l.index}`, value: l.accepts, note: `${l.accepts} (${share(l.accepts, totalA)})` })), { color: modeColor(r.mode) })
  const requests = barChart(`${r.mode}: ${udp ? 'datagrams answered' : 'requests served'} per listener`, r.listeners.map(l => ({ label: `#${l.index}`, value: l.requests, note: `${num(l.requests)} (${share(l.requests, totalR)})` })), { color: modeColor(r.mode) })
  const load = `${r.load.connections} ${w.connections}, ${r.load.durationSec} s${udp ? ' of UDP' : `, ${describeChurn(r.load.churn)}`}${r.load.rate > 0 ? `, ${r.load.rate} ${w.rate}` : ''}${r.load.warmupSec > 0 ? `, after ${r.load.warmupSec} s warm-up` : ''}`
  return html`<section class="mode"><h3>${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`} (${r.socketOption ?? ''}) - ${r.workers} listener process${r.workers === 1 ? '' : 'es'} on port ${r.port}${grid ? `, ${r.load.connections} ${w.connections}, trial ${r.trial}` : ''}</h3>
${r.socketNote === undefined || r.socketNote === '' ? '' : html`<p class="warn">${r.socketNote}</p>`}
${invalidText(r).map(l => html`<p class="warn">${l}</p>`)}
<p class="sub">${load}. Ready in ${r.readyMs} ms. Client: ${num(r.client.rps)} ${w.rate}, p50 ${latencyText(r.client, r.client.latencyMs.p50)} ms, p99 ${latencyText(r.client, r.client.latencyMs.p99)} ms; errors ${r.client.errors}, timeouts ${r.client.timeouts}, non-2xx ${r.client.non2xx}.</p>
${!udp || r.placement !== undefined ? html`<p><strong>Fairness of ${w.accepts}:</strong> ${fairnessText(r.fairness)}</p>` : ''}
${r.placement === undefined ? '' : html`<p class="sub">${placementText(r.placement, w.connections)}</p>`}
${udp ? html`<p><strong>Fairness of datagrams:</strong> ${fairnessText(r.requestFairness)}</p>` : ''}
<div class="charts"><figure>${accepts}<figcaption>${udp ? 'Flows each listener saw' : 'Connections each listener accepted'} (table below). ${sampleSize(r)}</figcaption></figure><figure>${requests}<figcaption>${udp ? 'Datagrams each listener received and answered.' : 'Requests each listener served.'}</figcaption></figure></div>
${rowsTable(listenerRows(r), { caption: `${r.mode}: per listener` })}
${scenarioLines(r).map(l => html`<p class="warn">${l}</p>`)}
${kernelSection(r)}
<p class="sub">client p99 ms: round trip of the responses this listener served (includes time queued at it); loop delay: how long ready work waited for this listener's event loop, beyond the 5 ms sampling period; loop busy: the share of the time its event loop was busy.</p>
<p class="sub">Accounting: ${accountingText(r)}.
Load generator: ${loadGeneratorText(r)}.</p>
${join(hostsLines(r.hosts).map(l => html`<p class="sub">${l}</p>`), '\n')}
</section>`
}

function comparisonSection (doc: ResultDoc): Markup {
  const w = wordsOfAll(doc.runs)
  const note = doc.comparison.length === 0 ? html`<p class="sub">No shared-accept run with the same worker count: ratios need --modes to include shared.</p>` : html`<p class="sub">Ratios are to the shared-accept baseline with the same worker count: ${w.rate} above 1 is faster, p99 below 1 is better, Jain above 1 is fairer.</p>`
  const paired = doc.paired === undefined || doc.paired.length === 0
    ? ''
    : doc.plan.interleave === 'rounds'
      ? html`<h3>Paired rounds</h3><p class="sub">The modes ran side by side: each round loaded every mode's group once, for one slice each, in a fresh shuffled order, within seconds; the ratio is the geometric mean of the rounds' ratios with a 95% Student t interval. Rounds the host check left out are not among the pairs. A difference is stated only where the interval excludes 1; otherwise, how many paired rounds would resolve one of the size seen.</p>${rowsTable(pairedRows(doc.paired, 'round', w))}`
      : html`<h3>Paired trials</h3><p class="sub">Trial t of two modes ran back to back in one configuration; the ratio is the geometric mean of the pairs' ratios with a 95% Student t interval. A difference is stated only where the interval excludes 1; otherwise, how many paired trials would resolve one of the size seen.</p>${rowsTable(pairedRows(doc.paired, 'trial', w))}`
  const table = rowsTable(comparisonRows(doc.runs, doc.comparison))
  const slices = doc.plan.interleave === 'rounds' && doc.runs.length > 6
  return html`<h2>Modes compared</h2>${slices ? html`<details><summary>Every slice against the baseline's slice of its round (${doc.runs.length} rows)</summary>${table}</details>` : table}${note}${paired}`
}

export function probeSection (p: ProbeDoc): Markup {
  const s = p.summary
  return html`<h2>Bind/listen matrix on ${p.platform} ${p.release}</h2>
<p>Socket A holds its socket in one process while socket B tries in another, with SO_REUSEADDR and SO_REUSEPORT set alike on both (the source article's method). Specific address: ${p.options.ip}. Compared with: ${p.comparedWith ?? 'no published table for this OS'}.</p>
<p><strong>${s.articleMatches} of ${s.articleCells}</strong> article cells match the article's table${s.mismatches > 0 ? html`; <strong>${s.mismatches} mismatch${s.mismatches === 1 ? '' : 'es'}</strong> (highlighted)` : ''}.</p>
${rowsTable(probeRows(p), { rowClass: i => p.cells[i]?.matches === false ? 'mismatch' : p.cells[i]?.extra === true ? 'extra' : '' })}
${p.skipped.length === 0 ? '' : html`<p class="sub">Skipped: ${p.skipped.map(k => `${k.rows} (${k.reason})`).join('; ')}.</p>`}
<h3>Accept order</h3>
<p class="sub">${p.options.sequence} sequential connections, one at a time, each closed before the next: the listener that served each. Then ${p.options.spread} connections counted per listener. Published (Cloudflare 2017, 3 workers, 6 connections): blocking accept 2,1,0,2,1,0; epoll on one shared socket 0,0,0,0,0,0. The rows marked &ldquo;no Node&rdquo; repeat that experiment with its own syscalls: processes sharing one socket, waiting in a blocking accept() or in epoll with EPOLLEXCLUSIVE.</p>
${rowsTable(acceptOrderRows(p))}
${p.datagramDelivery === undefined ? '' : html`<h3>Who receives UDP datagrams on a shared port</h3>
<p>${p.datagramDelivery.sentence}</p>
<ul>${p.datagramDelivery.claims.map(c => html`<li>${c.source} (${c.os}): ${c.words}: <strong>${c.here}</strong></li>`)}</ul>`}`
}

function reproduceSection (doc: ResultDoc): Markup {
  const h = doc.host
  const facts: Array<[string, string]> = [
    ['host', h.hostname], ['OS', `${h.platform} ${h.release} (${h.arch})`], ['addon', h.addon ?? 'not recorded'], ['CPU', `${h.cpus} x ${h.cpuModel}`], ['memory', `${num(h.memoryBytes / 1073741824, 1)} GiB`],
    ['Node.js', h.node], ['harness', `${doc.tool.name} ${doc.tool.version}`], ['created', doc.createdAt],
    ...Object.entries(h.sysctls).map(([k, v]): [string, string] => [k, v]),
    ['capabilities', Object.entries(h.capabilities).filter(([, v]) => v).map(([k]) => k).join(', ')],
    ...(h.kernelFeatures ?? []).map((f): [string, string] => [`kernel: ${f.what}`, `${f.found === true ? 'found' : f.found === false ? `missing (Linux ${f.firstLinux}+)` : 'undecided'}: ${f.detail}`]),
    ['CPU pinning', [...new Set(doc.runs.map(r => r.cpus === undefined ? 'not recorded (an older result)' : describeCpuSets(r.cpus)))].join('; ')]
  ]
  return html`<h2>Host and how to repeat this run</h2>
<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<h3>Command</h3><pre>${doc.command}</pre>
<h3>Run plan</h3><pre>${JSON.stringify(doc.plan, null, 2)}</pre>
<h3>What each figure means</h3><dl class="facts">${Object.entries(doc.notes).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`
}

/** Under a Jain's index chart of a sweep: how many trials and connections each point rests on. */
function jainSample (cells: readonly SweepCell[], byWorkers: boolean, other: number, w: Words): string {
  const here = cells.filter(c => byWorkers ? c.connections === other : c.workers === other)
  const trials = [...new Set(here.map(c => c.trials))].join(' or ')
  const conns = [...new Set(here.map(c => c.placement?.n ?? c.connections))].join(' or ')
  return `Each point: ${trials} trial${trials === '1' ? '' : 's'} of n = ${conns} ${w.connections}.`
}

function sweepSection (cells: readonly SweepCell[], unit: 'trial' | 'round', w: Words): Markup {
  const modes = [...new Set(cells.map(c => c.mode))]
  const workers = [...new Set(cells.map(c => c.workers))]
  const conns = [...new Set(cells.map(c => c.connections))]
  // x = workers when it varies, else connections; one chart per value of the other axis
  const byWorkers = workers.length > 1
  const others = byWorkers ? conns : workers
  const charts: Markup[] = []
  const metrics: Array<{ key: 'rps' | 'p99Ms' | 'jain', label: string }> = [{ key: 'rps', label: w.perSecond }, { key: 'p99Ms', label: 'client p99 ms' }, { key: 'jain', label: `Jain's index of ${w.spread}` }]
  for (const o of others) {
    for (const mt of metrics) {
      const series = modes.map(mode => ({
        name: mode,
        color: modeColor(mode),
        points: cells.filter(c => c.mode === mode && (byWorkers ? c.connections === o : c.workers === o)).map(c => ({ x: byWorkers ? c.workers : c.connections, y: c[mt.key].median, lo: c[mt.key].lo, hi: c[mt.key].hi }))
      })).filter(se => se.points.length > 0)
      const title = `${mt.label} by ${byWorkers ? 'workers' : w.connections} (${byWorkers ? `${o} ${w.connections}` : `${o} workers`})`
      charts.push(html`<figure>${errorBarChart(title, series, { xLabel: byWorkers ? 'listener processes' : w.connections, yLabel: mt.label })}<figcaption>${title}: median of the trials; bars are the interval the number of trials supports (see above).${mt.key === 'jain' ? ` ${jainSample(cells, byWorkers, o, w)}` : ''}</figcaption></figure>`)
    }
  }
  return html`<h2>Sweep</h2>
<p class="sub">Trials ran one after another; inside each, every configuration's modes ran back to back in a seeded shuffled order, so drift touches every mode alike and trial t of two modes is a pair. Figures are medians of the trials: with 10 or more trials a 95% bootstrap interval (5,000 resamples, on a piscina worker pool); with fewer, the min-max range of the trials (bars in the charts); with one, no interval.</p>
<div class="charts">${charts}</div>
${rowsTable(sweepRows(cells, unit, w))}`
}

/** The whole report page for a result (and an optional probe). */
export function renderReport (doc: ResultDoc, probe?: ProbeDoc): string {
  const runs = doc.runs
  const grid = doc.sweep !== undefined || runs.some(r => r.trial > 1)
  const sentences = verdictOf(doc)
  const summary = summarySentence(doc)
  const title = `reuseport-bench${doc.label === '' ? '' : `: ${doc.label}`}`
  const p = probe ?? doc.probe
  const body = html`<header><h1>${title}</h1>
<p class="sub">${doc.host.platform} ${doc.host.release} · ${doc.host.cpus} CPUs · Node ${doc.host.node} · ${doc.createdAt} · modes ${[...new Set(runs.map(r => r.mode))].join(', ')}</p></header>
${doc.fixture === undefined ? '' : html`<p class="fixture">FIXTURE, NOT A MEASUREMENT: ${doc.fixture}</p>`}
${doc.status === 'partial' ? html`<p class="fixture">PARTIAL RESULT: the run was cut short (${doc.failure?.message ?? 'unknown reason'}); only the modes below completed.</p>` : ''}
${glanceSection(doc)}
${summary === undefined ? '' : html`<p class="summary"><strong>${summary}</strong></p>`}
<details class="verdict" aria-label="verdict"><summary>The verdict in full: what each mode's figures support, and with what uncertainty</summary>${sentences.map(s => html`<p>${s}</p>`)}</details>
${comparisonSection(doc)}
${hostTrackSection(doc)}
<h2>Per mode</h2>
${doc.plan.interleave === 'rounds' && runs.length > 6 ? html`<details><summary>Every slice, ${runs.length} of them, in the order recorded: per-listener tables and charts</summary>${join(runs.map(r => modeSection(r, grid)), '\n')}</details>` : join(runs.map(r => modeSection(r, grid)), '\n')}
${runs.length > 0 ? latencySection(runs) : ''}
${doc.sweep === undefined ? '' : sweepSection(doc.sweep, doc.plan.interleave === 'rounds' ? 'round' : 'trial', wordsOfAll(doc.runs))}
${doc.skipped === undefined || doc.skipped.length === 0 ? '' : html`<h2>Not run here</h2><ul>${doc.skipped.map(k => html`<li>${k.what}: ${k.reason}</li>`)}</ul>`}
${p === undefined ? '' : probeSection(p)}
${reproduceSection(doc)}`
  return pageText(page(title, body))
}
