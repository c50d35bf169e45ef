/**
 * Inline SVG charts, no scripts: horizontal bars, percentile spectra (x on a
 * log scale of 1/(1-p) as HdrHistogram plots draw them, latency on a log
 * axis so p50 to p99 stay readable under a max spike), and medians with
 * error bars. Round tick values (html/axes.ts); every series in its mode's
 * colour (html/colors.ts). Each chart carries role="img", a <title> and an
 * aria-label; the data is always also in a table.
 */
import { linearTicks, logTicks, tickLabel } from './axes.js'
import { PALETTE } from './colors.js'
import type { Markup } from './markup.js'
import { html } from './markup.js'

export interface Bar { label: string, value: number, note?: string }

/** Horizontal bar chart; one row per bar. */
export function barChart (title: string, bars: readonly Bar[], opts: { unit?: string, width?: number, color?: string } = {}): Markup {
  const width = opts.width ?? 420
  const row = bars.length > 32 ? 10 : 18
  const labelW = 44
  const valueW = 90
  const top = 6
  const height = top * 2 + row * bars.length
  const max = Math.max(1, ...bars.map(b => b.value))
  const plotW = width - labelW - valueW
  const color = opts.color ?? PALETTE[0] ?? '#0072B2'
  const font = bars.length > 32 ? 9 : 11
  const items = bars.map((b, i) => {
    const y = top + i * row
    const w = Math.max(b.value > 0 ? 1 : 0, (b.value / max) * plotW)
    return html`<text x="${labelW - 4}" y="${y + row * 0.72}" text-anchor="end" font-size="${font}">${b.label}</text><rect x="${labelW}" y="${y + 1}" width="${w.toFixed(1)}" height="${row - 2}" fill="${color}"><title>${`${b.label}: ${b.value}${opts.unit ?? ''}`}</title></rect><text x="${labelW + w + 4}" y="${y + row * 0.72}" font-size="${font}">${b.note ?? String(b.value)}</text>`
  })
  const alt = `${title}: ${bars.map(b => `${b.label} ${b.value}`).join(', ')}`
  return html`<svg class="chart" role="img" aria-label="${alt.slice(0, 800)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${items}</svg>`
}

/** A line of a chart: its name in the legend, its colour (its mode's) and dash pattern (its result's, in a comparison). */
export interface Style { name: string, color?: string, dash?: string }

export interface Series extends Style { points: Array<[number, number]> }

/** x = percentile as log10(1/(1-p)): 0 = 0%, 1 = 90%, 2 = 99%, 3 = 99.9% ... */
export function percentileX (p: number): number {
  return Math.log10(1 / (1 - Math.min(p, 0.999999)))
}

interface Frame { m: { l: number, r: number, t: number, b: number }, pw: number, ph: number, width: number, height: number }

const colorOf = (s: Style, i: number): string => s.color ?? PALETTE[i % PALETTE.length] ?? '#000'
const dashOf = (s: Style): Markup | '' => s.dash === undefined || s.dash === '' ? '' : html` stroke-dasharray="${s.dash}"`

/** Grid lines with labels: vertical at the given x positions, horizontal at the given y positions. */
function gridLines (f: Frame, xTicks: ReadonlyArray<[number, string]>, yTicks: ReadonlyArray<[number, string]>): Markup {
  const { m, pw, ph } = f
  const out: Markup[] = []
  for (const [x, label] of xTicks) {
    out.push(html`<line x1="${x.toFixed(1)}" y1="${m.t}" x2="${x.toFixed(1)}" y2="${m.t + ph}" class="grid"/>`)
    out.push(html`<text x="${x.toFixed(1)}" y="${m.t + ph + 14}" text-anchor="middle" font-size="10">${label}</text>`)
  }
  for (const [y, label] of yTicks) {
    out.push(html`<line x1="${m.l}" y1="${y.toFixed(1)}" x2="${m.l + pw}" y2="${y.toFixed(1)}" class="grid"/>`)
    out.push(html`<text x="${m.l - 4}" y="${(y + 3).toFixed(1)}" text-anchor="end" font-size="10">${label}</text>`)
  }
  return html`${out}`
}

/** Colour keys under the plot, three to a row, and the axis titles. */
function legendAndAxes (f: Frame, styles: readonly Style[], xLabel: string, yLabel: string): Markup {
  const { m, pw, ph, height } = f
  const rows = Math.ceil(styles.length / 3)
  const legend = styles.map((s, i) => {
    const x = m.l + (i % 3) * (pw / 3)
    const y = height - 4 - (rows - 1 - Math.floor(i / 3)) * 12
    return html`<line x1="${x.toFixed(1)}" y1="${y - 3}" x2="${(x + 14).toFixed(1)}" y2="${y - 3}" stroke="${colorOf(s, i)}" stroke-width="3"${dashOf(s)}/><text x="${(x + 18).toFixed(1)}" y="${y + 1}" font-size="10">${s.name}</text>`
  })
  return html`${legend}<text x="${m.l + pw / 2}" y="${m.t + ph + 28}" text-anchor="middle" font-size="10">${xLabel}</text><text x="12" y="${m.t + ph / 2}" text-anchor="middle" font-size="10" transform="rotate(-90 12 ${m.t + ph / 2})">${yLabel}</text>`
}

/** Room under the plot for the axis title and `n` legend entries. */
const bottomFor = (n: number): number => 40 + Math.ceil(Math.max(1, n) / 3) * 12

const TICK_LABELS = ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%', '99.9999%']

/** Line chart of latency by percentile, one line per series; latency on a log axis. */
export function spectrumChart (title: string, series: readonly Series[], opts: { unit: string, width?: number, height?: number }): Markup {
  const width = opts.width ?? 640
  const m = { l: 56, r: 34, t: 12, b: bottomFor(series.length) }
  const height = (opts.height ?? 300) + m.b - 66
  const pw = width - m.l - m.r
  const ph = height - m.t - m.b
  const xmax = Math.max(1, Math.ceil(Math.max(0, ...series.flatMap(s => s.points.map(p => p[0])))))
  const ys = series.flatMap(s => s.points.map(p => p[1])).filter(y => y > 0)
  const ticks = logTicks(ys.length === 0 ? 1 : Math.min(...ys), ys.length === 0 ? 10 : Math.max(...ys))
  const lo = Math.log10(ticks[0] ?? 1)
  const hi = Math.log10(ticks[ticks.length - 1] ?? 10)
  const X = (x: number): number => m.l + (x / xmax) * pw
  const Y = (y: number): number => m.t + ph - ((Math.log10(Math.max(y, 10 ** lo)) - lo) / (hi - lo)) * ph
  const f: Frame = { m, pw, ph, width, height }
  const grid = gridLines(f, Array.from({ length: xmax + 1 }, (_x, i): [number, string] => [X(i), TICK_LABELS[i] ?? '']), ticks.map((t): [number, string] => [Y(t), tickLabel(t)]))
  const lines = series.map((s, i) => {
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('')
    return html`<path d="${d}" fill="none" stroke="${colorOf(s, i)}" stroke-width="1.8"${dashOf(s)}><title>${s.name}</title></path>`
  })
  const keys = legendAndAxes(f, series, 'percentile', `${opts.unit} (log scale)`)
  const alt = `${title}. ` + series.map(s => `${s.name}: ${describe(s)}`).join('; ')
  return html`<svg class="chart" role="img" aria-label="${alt.slice(0, 800)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${grid}${lines}${keys}</svg>`
}

function describe (s: Series): string {
  const at = (x: number): string => {
    const p = s.points.find(q => q[0] >= x)
    return p === undefined ? '-' : shortNum(p[1])
  }
  return `p50 ${at(percentileX(0.5))}, p99 ${at(2)}, p99.9 ${at(3)}`
}

function shortNum (v: number): string {
  if (v >= 100) return v.toFixed(0)
  if (v >= 10) return v.toFixed(1)
  return v.toFixed(2).replace(/\.?0+$/, '') || '0'
}

export interface ErrorSeries extends Style { points: Array<{ x: number, y: number, lo: number, hi: number }> }

/** Medians with error bars (the interval of the trials) against a numeric x, one line per series; x on a log2 scale when it spans >= 4x. */
export function errorBarChart (title: string, series: readonly ErrorSeries[], opts: { xLabel: string, yLabel: string, width?: number, height?: number }): Markup {
  const width = opts.width ?? 460
  const m = { l: 60, r: 14, t: 12, b: bottomFor(series.length) }
  const height = (opts.height ?? 260) + m.b - 62
  const pw = width - m.l - m.r
  const ph = height - m.t - m.b
  const xs = [...new Set(series.flatMap(s => s.points.map(p => p.x)))].sort((a, b) => a - b)
  const xmin = xs[0] ?? 0
  const xmax = xs[xs.length - 1] ?? 1
  const log = xmin > 0 && xmax / xmin >= 4
  const fx = (x: number): number => log ? Math.log2(x) : x
  const span = fx(xmax) - fx(xmin)
  const X = (x: number): number => m.l + (span === 0 ? pw / 2 : ((fx(x) - fx(xmin)) / span) * pw)
  const yTicks = linearTicks(Math.max(0, ...series.flatMap(s => s.points.map(p => p.hi))))
  const ymax = yTicks[yTicks.length - 1] ?? 1
  const Y = (y: number): number => m.t + ph - (y / ymax) * ph
  const f: Frame = { m, pw, ph, width, height }
  const grid = gridLines(f, xs.map((x): [number, string] => [X(x), String(x)]), yTicks.map((t): [number, string] => [Y(t), tickLabel(t)]))
  const marks = series.map((s, i) => {
    const color = colorOf(s, i)
    const pts = [...s.points].sort((a, b) => a.x - b.x)
    const dx = (i - (series.length - 1) / 2) * 4 // small offset so bars of different series do not overlap
    const line = pts.map((p, k) => `${k === 0 ? 'M' : 'L'}${(X(p.x) + dx).toFixed(1)},${Y(p.y).toFixed(1)}`).join('')
    const bars = pts.map(p => {
      const x = X(p.x) + dx
      return html`<line x1="${x.toFixed(1)}" y1="${Y(p.lo).toFixed(1)}" x2="${x.toFixed(1)}" y2="${Y(p.hi).toFixed(1)}" stroke="${color}" stroke-width="1.5"/><line x1="${(x - 3).toFixed(1)}" y1="${Y(p.lo).toFixed(1)}" x2="${(x + 3).toFixed(1)}" y2="${Y(p.lo).toFixed(1)}" stroke="${color}"/><line x1="${(x - 3).toFixed(1)}" y1="${Y(p.hi).toFixed(1)}" x2="${(x + 3).toFixed(1)}" y2="${Y(p.hi).toFixed(1)}" stroke="${color}"/><circle cx="${x.toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="2.5" fill="${color}"><title>${`${s.name} at ${p.x}: ${shortNum(p.y)} [${shortNum(p.lo)}, ${shortNum(p.hi)}]`}</title></circle>`
    })
    return html`<path d="${line}" fill="none" stroke="${color}" stroke-width="1.2"${dashOf(s)}/>${bars}`
  })
  const keys = legendAndAxes(f, series, `${opts.xLabel}${log ? ' (log scale)' : ''}`, opts.yLabel)
  const alt = `${title}. ` + series.map(s => `${s.name}: ${s.points.map(p => `${p.x} -> ${shortNum(p.y)} [${shortNum(p.lo)}, ${shortNum(p.hi)}]`).join(', ')}`).join('; ')
  return html`<svg class="chart" role="img" aria-label="${alt.slice(0, 800)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${grid}${marks}${keys}</svg>`
}

/** Lines of y against x on linear axes from 0 (a time series: queue length over the load), one line per series. */
export function lineChart (title: string, series: readonly Series[], opts: { xLabel: string, yLabel: string, width?: number, height?: number }): Markup {
  const width = opts.width ?? 640
  const m = { l: 56, r: 24, t: 12, b: bottomFor(series.length) }
  const height = (opts.height ?? 240) + m.b - 62
  const f: Frame = { m, pw: width - m.l - m.r, ph: height - m.t - m.b, width, height }
  const xTicks = linearTicks(Math.max(0, ...series.flatMap(s => s.points.map(p => p[0]))))
  const yTicks = linearTicks(Math.max(1, ...series.flatMap(s => s.points.map(p => p[1]))))
  const xmax = xTicks[xTicks.length - 1] ?? 1
  const ymax = yTicks[yTicks.length - 1] ?? 1
  const X = (x: number): number => m.l + (x / xmax) * f.pw
  const Y = (y: number): number => m.t + f.ph - (y / ymax) * f.ph
  const grid = gridLines(f, xTicks.map((t): [number, string] => [X(t), tickLabel(t)]), yTicks.map((t): [number, string] => [Y(t), tickLabel(t)]))
  const lines = series.map((s, i) => {
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('')
    return html`<path d="${d}" fill="none" stroke="${colorOf(s, i)}" stroke-width="1.4"${dashOf(s)}><title>${s.name}</title></path>`
  })
  const alt = `${title}. ` + series.map(s => `${s.name}: max ${shortNum(Math.max(0, ...s.points.map(p => p[1])))}`).join('; ')
  return html`<svg class="chart" role="img" aria-label="${alt.slice(0, 800)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${grid}${lines}${legendAndAxes(f, series, opts.xLabel, opts.yLabel)}</svg>`
}
