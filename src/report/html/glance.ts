/**
 * The report's first screen: one picture per configuration (workers x
 * connections), one row per mode, three panels side by side: requests/s and
 * client p99, each a median with its interval and coloured by the paired
 * finding against the baseline, and fairness (Jain's index of accepts) placed
 * on the band random hashing gives, coloured by where it falls. The data table
 * of every point is beside the picture.
 */
import { NOT_COMPARABLE } from '../rows.js'
import { num } from '../../numbers.js'
import { headline } from '../../analyse/headline.js'
import { measured } from '../../analyse/validity.js'
import { rowsTable } from './table.js'
import type { Markup } from './markup.js'
import { html, join } from './markup.js'
import type { PairedComparison, ResultDoc } from '../../types/docs.js'
import type { Placement } from '../../types/run.js'
import { wordsOfAll } from '../../analyse/words.js'
import type { Words } from '../../analyse/words.js'

/** A figure with its interval (lo = hi = median when there is none). */
interface Point { median: number, lo: number, hi: number }

/** One mode's row of a configuration's picture. */
interface GlanceRow {
  mode: string
  trials: number
  rps: Point
  p99: Point
  jain: number | null
  placement: Placement | undefined
  rpsFinding: string
  p99Finding: string
}

export interface Configuration { workers: number, connections: number, rows: GlanceRow[] }

/** Colours of findings: better, worse, no measurable difference (or none to say), the baseline itself. */
const FINDING = { better: '#009E73', worse: '#D55E00', same: '#777777', baseline: '#000000' }

function pairedFinding (paired: readonly PairedComparison[], baseline: string, mode: string, w: number, c: number, key: 'throughput' | 'p99'): string {
  if (mode === baseline) return 'baseline'
  const p = paired.find(x => x.workers === w && x.connections === c && ((x.mode === mode && x.against === baseline) || (x.mode === baseline && x.against === mode)))
  if (p === undefined) return 'no interval'
  if (p.hostUnstable === true) return NOT_COMPARABLE
  const f = p[key].finding
  if (p.mode === mode || f === 'no measurable difference' || f === 'no interval') return f
  return f === 'higher' ? 'lower' : 'higher' // the pair was baseline over mode: the other way round
}

/** Every configuration of a result with its modes' rows: from the sweep's medians when it has them, else from the single runs. */
export function configurations (doc: ResultDoc): Configuration[] {
  const out: Configuration[] = []
  const at = (workers: number, connections: number): Configuration => {
    let c = out.find(x => x.workers === workers && x.connections === connections)
    if (c === undefined) out.push(c = { workers, connections, rows: [] })
    return c
  }
  const paired = doc.paired ?? []
  const finding = (mode: string, w: number, c: number, key: 'throughput' | 'p99'): string => pairedFinding(paired, doc.baseline, mode, w, c, key)
  if (doc.sweep !== undefined) {
    for (const s of doc.sweep) {
      at(s.workers, s.connections).rows.push({ mode: s.mode, trials: s.trials, rps: s.rps, p99: s.p99Ms, jain: s.jain.median, placement: s.placement, rpsFinding: finding(s.mode, s.workers, s.connections, 'throughput'), p99Finding: finding(s.mode, s.workers, s.connections, 'p99') })
    }
    return out
  }
  for (const r of measured(doc.runs).filter(x => x.variant === undefined)) {
    const one = (v: number): Point => ({ median: v, lo: v, hi: v })
    at(r.workers, r.load.connections).rows.push({ mode: r.mode, trials: 1, rps: one(r.client.rps), p99: one(r.client.latencyMs.p99), jain: headline(r).jain, placement: r.placement, rpsFinding: r.mode === doc.baseline ? 'baseline' : 'no interval', p99Finding: r.mode === doc.baseline ? 'baseline' : 'no interval' })
  }
  return out
}

/** The colour of a throughput or latency finding (p99 'lower' is better). */
function findingColor (finding: string, lowerIsBetter: boolean): string {
  if (finding === 'baseline') return FINDING.baseline
  if (finding === 'higher') return lowerIsBetter ? FINDING.worse : FINDING.better
  if (finding === 'lower') return lowerIsBetter ? FINDING.better : FINDING.worse
  return FINDING.same
}

function fairnessColor (p: Placement | undefined): string {
  if (p?.classification === 'more skewed than random hashing') return FINDING.worse
  if (p?.classification === 'more even than random placement') return FINDING.better
  return FINDING.same
}

const W = 220
const ROW = 22
const LABEL = 120

/** One panel: a dot and its interval per row, on a scale from `min` to `max`; `band` shades a range per row (fairness). */
function panel (x0: number, title: string, [min, max]: [number, number], rows: ReadonlyArray<{ p: Point | null, color: string, band?: [number, number] | null, text: string }>): Markup {
  const sx = (v: number): number => x0 + ((Math.max(min, Math.min(v, max)) - min) / (max - min)) * (W - 20) + 10
  const parts = [html`<text x="${x0 + W / 2}" y="12" text-anchor="middle" font-size="11" font-weight="bold">${title}</text>`]
  rows.forEach((r, i) => {
    const y = 24 + i * ROW + ROW / 2
    parts.push(html`<line x1="${sx(min)}" x2="${sx(max)}" y1="${y}" y2="${y}" stroke="#ddd"/>`)
    if (r.band !== undefined && r.band !== null) parts.push(html`<rect x="${sx(r.band[0]).toFixed(1)}" y="${y - 6}" width="${Math.max(1, sx(r.band[1]) - sx(r.band[0])).toFixed(1)}" height="12" fill="#cfe3f3"><title>${`random hashing gives ${num(r.band[0], 3)} to ${num(r.band[1], 3)} in 95% of cases`}</title></rect>`)
    if (r.p === null) return
    parts.push(html`<line x1="${sx(r.p.lo).toFixed(1)}" x2="${sx(r.p.hi).toFixed(1)}" y1="${y}" y2="${y}" stroke="${r.color}" stroke-width="3"/>`)
    parts.push(html`<circle cx="${sx(r.p.median).toFixed(1)}" cy="${y}" r="5" fill="${r.color}"><title>${r.text}</title></circle>`)
  })
  parts.push(html`<text x="${sx(min)}" y="${24 + rows.length * ROW + 12}" font-size="10">${num(min, min > 0 && min < 10 ? 1 : 0)}</text><text x="${sx(max)}" y="${24 + rows.length * ROW + 12}" font-size="10" text-anchor="end">${num(max, max < 10 ? 1 : 0)}</text>`)
  return html`${parts}`
}

const between = (p: Point): string => p.lo === p.hi ? num(p.median, 2) : `${num(p.median, 2)} (${num(p.lo, 2)} to ${num(p.hi, 2)})`

/** The picture of one configuration, with its data table. */
function configurationFigure (c: Configuration, w: Words): Markup {
  const rows = c.rows
  const height = 24 + rows.length * ROW + 18
  const labels = rows.map((r, i) => html`<text x="${LABEL - 6}" y="${24 + i * ROW + ROW / 2 + 4}" text-anchor="end" font-size="12">${r.mode}</text>`)
  const rpsMax = Math.max(1, ...rows.map(r => r.rps.hi)) * 1.05
  const p99Max = Math.max(0.001, ...rows.map(r => r.p99.hi)) * 1.05
  const rps = panel(LABEL, w.perSecond, [0, rpsMax], rows.map(r => ({ p: r.rps, color: findingColor(r.rpsFinding, false), text: `${r.mode}: ${between(r.rps)} ${w.rate} (${r.rpsFinding})` })))
  const p99 = panel(LABEL + W, 'client p99 ms', [0, p99Max], rows.map(r => ({ p: r.p99, color: findingColor(r.p99Finding, true), text: `${r.mode}: p99 ${between(r.p99)} ms (${r.p99Finding})` })))
  // Jain's index runs from 1/k (all on one listener) to 1: the scale starts a little below the lowest figure or band shown.
  const lowest = Math.min(...rows.flatMap(r => [r.jain ?? 1, r.placement?.jainRange?.[0] ?? 1]))
  const jain = panel(LABEL + 2 * W, "fairness (Jain's index)", [Math.max(0, Math.floor((lowest - 0.05) * 10) / 10), 1], rows.map(r => ({ p: r.jain === null ? null : { median: r.jain, lo: r.jain, hi: r.jain }, color: fairnessColor(r.placement), band: r.placement?.jainRange ?? null, text: `${r.mode}: Jain ${num(r.jain, 3)} (${r.placement?.classification ?? 'not tested'})` })))
  const width = LABEL + 3 * W
  const title = `${c.workers} workers, ${c.connections} ${w.connections}`
  const svg = html`<svg class="chart glance" role="img" aria-label="${`${title}: ${rows.map(r => `${r.mode} ${num(r.rps.median)} ${w.rate}, p99 ${num(r.p99.median, 2)} ms, Jain ${num(r.jain, 3)}`).join('; ')}`}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${labels}${rps}${p99}${jain}</svg>`
  const table = rowsTable({
    head: ['mode', 'trials', w.rate, 'finding', 'p99 ms', 'finding', 'Jain', 'random hashing gives', 'placement'],
    rows: rows.map(r => [r.mode, String(r.trials), between(r.rps), r.rpsFinding, between(r.p99), r.p99Finding, num(r.jain, 3), r.placement?.jainRange === null || r.placement?.jainRange === undefined ? '-' : `${num(r.placement.jainRange[0], 3)} to ${num(r.placement.jainRange[1], 3)}`, r.placement?.classification ?? 'not tested'])
  }, { caption: `${title}: the points of the picture` })
  return html`<figure class="glance">${svg}<figcaption>${title}. Dots: medians of the trials; bars: their interval (none from one trial). Green: measurably better than the baseline (${rows.find(r => r.rpsFinding === 'baseline')?.mode ?? 'none in this configuration'}, black); orange: measurably worse; grey: no measurable difference, or no interval to tell. Fairness: the blue band is what random hashing of as many ${w.connections} gives in 95% of cases; the dot is green above it, orange below it.</figcaption></figure><details><summary>The figures of this picture</summary>${table}</details>`
}

/** Every configuration's picture, for the top of the report. */
export function glanceSection (doc: ResultDoc): Markup | '' {
  const configs = configurations(doc).filter(c => c.rows.length > 0)
  if (configs.length === 0) return ''
  const w = wordsOfAll(doc.runs)
  return html`<section class="glance" aria-label="at a glance">${join(configs.map(c => configurationFigure(c, w)), '\n')}</section>`
}
