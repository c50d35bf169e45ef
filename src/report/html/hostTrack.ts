/**
 * The host beside the load: for every cell (or slice) in the order it ran,
 * each mode's req/s, and the host's speed on each CPU the run used (100 =
 * its first calibration) with the share of those CPUs that other processes
 * took. A chart each, on one time axis, with the table of the same figures
 * and the rounds the host check left out of ratios.
 */
import { wordsOfAll } from '../../analyse/words.js'
import { contentionSampler } from '../../collect/samplers/contention.js'
import { hostSpeedSampler } from '../../collect/samplers/hostSpeed.js'
import { num } from '../../numbers.js'
import { hostRunOf, unstableBecause } from '../../analyse/hostCheck.js'
import { htmlTable } from './table.js'
import type { Markup } from './markup.js'
import { html } from './markup.js'
import { modeColor } from './colors.js'
import { lineChart } from './svg.js'
import type { Series } from './svg.js'
import type { ResultDoc } from '../../types/docs.js'
import type { ModeRun } from '../../types/run.js'
import { figuresOf } from '../../collect/samplers/sampler.js'

interface Point { run: ModeRun, atSec: number }

/** The runs in the order they ran, with their time from the first one's start (s). */
function timeline (runs: readonly ModeRun[]): Point[] {
  const sorted = [...runs].filter(r => r.variant === undefined).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
  const t0 = Date.parse(sorted[0]?.startedAt ?? '')
  return sorted.map(run => ({ run, atSec: Math.round((Date.parse(run.startedAt) - t0) / 100) / 10 }))
}

/** Each CPU's speed after each run against its first calibration (100 = as fast), where the run timed it. */
function speedSeries (points: readonly Point[]): Series[] {
  const first = new Map<number, number>()
  const series = new Map<number, Array<[number, number]>>()
  for (const { run, atSec } of points) {
    const h = figuresOf(hostSpeedSampler, run)
    if (h === undefined) continue
    for (const c of h.perCpu ?? [{ cpu: h.cpu, beforeMs: h.beforeMs, afterMs: h.afterMs }]) {
      if (!first.has(c.cpu)) first.set(c.cpu, c.beforeMs)
      const list = series.get(c.cpu) ?? []
      list.push([atSec, Math.round(1000 * (first.get(c.cpu) ?? c.afterMs) / c.afterMs) / 10])
      series.set(c.cpu, list)
    }
  }
  return [...series.entries()].map(([cpu, pts]) => ({ name: `CPU ${cpu} speed (100 = first timing)`, points: pts }))
}

function foreignSeries (points: readonly Point[]): Series[] {
  const pts = points.flatMap(({ run, atSec }): Array<[number, number]> => {
    const c = figuresOf(contentionSampler, run)
    return c !== undefined ? [[atSec, Math.round(c.foreignShare * 1000) / 10]] : []
  })
  return pts.length === 0 ? [] : [{ name: 'other processes, % of the run\'s CPUs', points: pts, color: '#999', dash: '4 3' }]
}

function loadSeries (points: readonly Point[], rate: string): Series[] {
  const modes = [...new Set(points.map(p => p.run.mode))]
  return modes.map(mode => ({ name: `${mode} ${rate}`, color: modeColor(mode), points: points.filter(p => p.run.mode === mode).map((p): [number, number] => [p.atSec, p.run.client.rps]) }))
}

/** The section, or nothing when no run timed the host. */
export function hostTrackSection (doc: ResultDoc): Markup | '' {
  const points = timeline(doc.runs)
  const speed = speedSeries(points)
  if (speed.length === 0) return ''
  const unit = doc.plan.interleave === 'rounds' ? 'round' : 'trial'
  const { rate } = wordsOfAll(doc.runs)
  const load = lineChart('Throughput of each slice, in the order they ran', loadSeries(points, rate), { xLabel: 'seconds from the first start', yLabel: rate })
  const host = lineChart("The host's speed and what other processes took", [...speed, ...foreignSeries(points)], { xLabel: 'seconds from the first start', yLabel: '% (speed: 100 = first timing)' })
  const rows = points.map(({ run, atSec }) => {
    const h = figuresOf(hostSpeedSampler, run)
    const c = figuresOf(contentionSampler, run)
    const why = unstableBecause(hostRunOf(run))
    return [atSec, run.trial, run.mode, num(run.client.rps), h !== undefined ? `${num(h.beforeMs, 3)} / ${num(h.afterMs, 3)} ms (CPU ${h.cpu})` : '-', c !== undefined ? `${num(c.foreignShare * 100, 1)}%` : '-', why.length === 0 ? '' : why.join('; ')]
  })
  const left = doc.hostCheck?.leftOut ?? []
  const leftText = left.length === 0 ? '' : html`<p class="warn">Left out of ratios: ${left.map(l => `${unit} ${l.trial} (${l.workers} workers, ${l.connections} connections): ${l.reasons.join('; ')}`).join(' · ')}</p>`
  return html`<h2>The host during the run</h2>
<p class="sub">${doc.hostCheck?.statement ?? ''} A fixed loop was timed on each CPU the run used before and after every ${unit === 'round' ? 'slice' : 'cell'} (never during one); other processes' share is the CPUs' busy time from /proc/stat less the run's own processes' CPU time.</p>
${leftText}
<div class="charts"><figure>${load}<figcaption>${rate} of each ${unit === 'round' ? 'slice' : 'cell'}, at its start (table below).</figcaption></figure><figure>${host}<figcaption>Host speed per CPU after each ${unit === 'round' ? 'slice' : 'cell'}, and other processes' share of the CPUs during it.</figcaption></figure></div>
<details><summary>The figures of every ${unit === 'round' ? 'slice' : 'cell'}</summary>${htmlTable(['s', unit, 'mode', rate, 'loop before / after (slowest CPU)', 'other processes', 'unstable because'], rows)}</details>`
}
