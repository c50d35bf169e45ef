/**
 * Inline SVG charts, no scripts: horizontal bars, and percentile spectra on a
 * log scale of 1/(1-p) as HdrHistogram plots draw them. Each chart carries
 * role="img", a <title> and an aria-label; the data is always also in a table.
 */
import { esc } from './escape.js'

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442']

export interface Bar { label: string, value: number, note?: string }

/** Horizontal bar chart; one row per bar. */
export function barChart (title: string, bars: readonly Bar[], opts: { unit?: string, width?: number, color?: string } = {}): string {
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
    return `<text x="${labelW - 4}" y="${y + row * 0.72}" text-anchor="end" font-size="${font}">${esc(b.label)}</text>` +
      `<rect x="${labelW}" y="${y + 1}" width="${w.toFixed(1)}" height="${row - 2}" fill="${color}"><title>${esc(`${b.label}: ${b.value}${opts.unit ?? ''}`)}</title></rect>` +
      `<text x="${labelW + w + 4}" y="${y + row * 0.72}" font-size="${font}">${esc(b.note ?? String(b.value))}</text>`
  }).join('')
  const alt = `${title}: ${bars.map(b => `${b.label} ${b.value}`).join(', ')}`
  return `<svg class="chart" role="img" aria-label="${esc(alt.slice(0, 800))}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${items}</svg>`
}

export interface Series { name: string, points: Array<[number, number]> }

/** x = percentile as log10(1/(1-p)): 0 = 0%, 1 = 90%, 2 = 99%, 3 = 99.9% ... */
export function percentileX (p: number): number {
  return Math.log10(1 / (1 - Math.min(p, 0.999999)))
}


interface Frame { m: { l: number, r: number, t: number, b: number }, pw: number, ph: number, width: number, height: number }

/** Vertical grid lines with labels at the given x positions, and five horizontal ones from 0 to ymax. */
function gridLines (f: Frame, ticks: ReadonlyArray<[number, string]>, ymax: number, Y: (y: number) => number): string {
  const { m, pw, ph } = f
  const out: string[] = []
  for (const [x, label] of ticks) {
    out.push(`<line x1="${x.toFixed(1)}" y1="${m.t}" x2="${x.toFixed(1)}" y2="${m.t + ph}" class="grid"/>`)
    out.push(`<text x="${x.toFixed(1)}" y="${m.t + ph + 14}" text-anchor="middle" font-size="10">${esc(label)}</text>`)
  }
  for (let j = 0; j <= 4; j++) {
    const v = (ymax * j) / 4
    out.push(`<line x1="${m.l}" y1="${Y(v).toFixed(1)}" x2="${m.l + pw}" y2="${Y(v).toFixed(1)}" class="grid"/>`)
    out.push(`<text x="${m.l - 4}" y="${(Y(v) + 3).toFixed(1)}" text-anchor="end" font-size="10">${esc(shortNum(v))}</text>`)
  }
  return out.join('')
}

/** Colour keys under the plot, three to a row, and the axis titles. */
function legendAndAxes (f: Frame, names: readonly string[], xLabel: string, yLabel: string): string {
  const { m, pw, ph, height } = f
  const legend = names.map((name, i) => {
    const x = m.l + (i % 3) * (pw / 3)
    const y = height - 16 + Math.floor(i / 3) * 12
    return `<rect x="${x.toFixed(1)}" y="${y - 8}" width="10" height="10" fill="${PALETTE[i % PALETTE.length] ?? '#000'}"/><text x="${(x + 14).toFixed(1)}" y="${y + 1}" font-size="10">${esc(name)}</text>`
  }).join('')
  return legend + `<text x="${m.l + pw / 2}" y="${m.t + ph + 28}" text-anchor="middle" font-size="10">${esc(xLabel)}</text>` +
    `<text x="12" y="${m.t + ph / 2}" text-anchor="middle" font-size="10" transform="rotate(-90 12 ${m.t + ph / 2})">${esc(yLabel)}</text>`
}

const TICK_LABELS = ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%', '99.9999%']

/** Line chart of latency by percentile, one line per series. */
export function spectrumChart (title: string, series: readonly Series[], opts: { unit: string, width?: number, height?: number }): string {
  const width = opts.width ?? 640
  const height = opts.height ?? 300
  const m = { l: 56, r: 34, t: 12, b: 66 }
  const pw = width - m.l - m.r
  const ph = height - m.t - m.b
  const xmax = Math.max(1, Math.ceil(Math.max(0, ...series.flatMap(s => s.points.map(p => p[0])))))
  const ymaxRaw = Math.max(0, ...series.flatMap(s => s.points.map(p => p[1])))
  const ymax = niceCeil(ymaxRaw)
  const X = (x: number): number => m.l + (x / xmax) * pw
  const Y = (y: number): number => m.t + ph - (ymax === 0 ? 0 : (y / ymax) * ph)
  const f: Frame = { m, pw, ph, width, height }
  const grid = gridLines(f, Array.from({ length: xmax + 1 }, (_x, i): [number, string] => [X(i), TICK_LABELS[i] ?? '']), ymax, Y)
  const lines = series.map((s, i) => {
    const color = PALETTE[i % PALETTE.length] ?? '#000'
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('')
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"><title>${esc(s.name)}</title></path>`
  }).join('')
  const keys = legendAndAxes(f, series.map(x => x.name), 'percentile', opts.unit)
  const alt = `${title}. ` + series.map(s => `${s.name}: ${describe(s)}`).join('; ')
  return `<svg class="chart" role="img" aria-label="${esc(alt.slice(0, 800))}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${grid}${lines}${keys}</svg>`
}

function describe (s: Series): string {
  const at = (x: number): string => {
    const p = s.points.find(q => q[0] >= x)
    return p === undefined ? '-' : shortNum(p[1])
  }
  return `p50 ${at(percentileX(0.5))}, p99 ${at(2)}, p99.9 ${at(3)}`
}

function niceCeil (v: number): number {
  if (v <= 0) return 1
  const e = 10 ** Math.floor(Math.log10(v))
  for (const f of [1, 2, 2.5, 5, 10]) if (f * e >= v) return f * e
  return 10 * e
}

function shortNum (v: number): string {
  if (v >= 100) return v.toFixed(0)
  if (v >= 10) return v.toFixed(1)
  return v.toFixed(2).replace(/\.?0+$/, '') || '0'
}

export interface ErrorSeries { name: string, points: Array<{ x: number, y: number, lo: number, hi: number }> }

/** Medians with error bars (e.g. 95% bootstrap intervals) against a numeric x, one line per series; x on a log2 scale when it spans >= 4x. */
export function errorBarChart (title: string, series: readonly ErrorSeries[], opts: { xLabel: string, yLabel: string, width?: number, height?: number }): string {
  const width = opts.width ?? 460
  const height = opts.height ?? 260
  const m = { l: 60, r: 14, t: 12, b: 62 }
  const pw = width - m.l - m.r
  const ph = height - m.t - m.b
  const xs = [...new Set(series.flatMap(s => s.points.map(p => p.x)))].sort((a, b) => a - b)
  const xmin = xs[0] ?? 0
  const xmax = xs[xs.length - 1] ?? 1
  const log = xmin > 0 && xmax / xmin >= 4
  const fx = (x: number): number => log ? Math.log2(x) : x
  const span = fx(xmax) - fx(xmin)
  const X = (x: number): number => m.l + (span === 0 ? pw / 2 : ((fx(x) - fx(xmin)) / span) * pw)
  const ymax = niceCeil(Math.max(0, ...series.flatMap(s => s.points.map(p => p.hi))))
  const Y = (y: number): number => m.t + ph - (y / ymax) * ph
  const f: Frame = { m, pw, ph, width, height }
  const grid = gridLines(f, xs.map((x): [number, string] => [X(x), String(x)]), ymax, Y)
  const marks = series.map((s, i) => {
    const color = PALETTE[i % PALETTE.length] ?? '#000'
    const pts = [...s.points].sort((a, b) => a.x - b.x)
    const dx = (i - (series.length - 1) / 2) * 4 // small offset so bars of different series do not overlap
    const line = pts.map((p, k) => `${k === 0 ? 'M' : 'L'}${(X(p.x) + dx).toFixed(1)},${Y(p.y).toFixed(1)}`).join('')
    const bars = pts.map(p => {
      const x = X(p.x) + dx
      return `<line x1="${x.toFixed(1)}" y1="${Y(p.lo).toFixed(1)}" x2="${x.toFixed(1)}" y2="${Y(p.hi).toFixed(1)}" stroke="${color}" stroke-width="1.5"/>` +
        `<line x1="${(x - 3).toFixed(1)}" y1="${Y(p.lo).toFixed(1)}" x2="${(x + 3).toFixed(1)}" y2="${Y(p.lo).toFixed(1)}" stroke="${color}"/>` +
        `<line x1="${(x - 3).toFixed(1)}" y1="${Y(p.hi).toFixed(1)}" x2="${(x + 3).toFixed(1)}" y2="${Y(p.hi).toFixed(1)}" stroke="${color}"/>` +
        `<circle cx="${x.toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="2.5" fill="${color}"><title>${esc(`${s.name} at ${p.x}: ${shortNum(p.y)} [${shortNum(p.lo)}, ${shortNum(p.hi)}]`)}</title></circle>`
    }).join('')
    return `<path d="${line}" fill="none" stroke="${color}" stroke-width="1.2"/>${bars}`
  }).join('')
  const keys = legendAndAxes(f, series.map(x => x.name), `${opts.xLabel}${log ? ' (log scale)' : ''}`, opts.yLabel)
  const alt = `${title}. ` + series.map(s => `${s.name}: ${s.points.map(p => `${p.x} -> ${shortNum(p.y)} [${shortNum(p.lo)}, ${shortNum(p.hi)}]`).join(', ')}`).join('; ')
  return `<svg class="chart" role="img" aria-label="${esc(alt.slice(0, 800))}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${grid}${marks}${keys}</svg>`
}
