/**
 * A cell's samplers on the report page: each one's sentences, chart (with its
 * data table beside it) and table, as it presents itself (report/kernel.ts).
 */
import { presentations } from '../kernel.js'
import { rowsTable } from './table.js'
import type { Markup } from './markup.js'
import { html, join } from './markup.js'
import { lineChart } from './svg.js'
import type { ModeRun } from '../../types/run.js'

export function kernelSection (r: ModeRun): Markup | '' {
  const shown = presentations(r)
  if (shown.length === 0) return ''
  const parts: Markup[] = []
  for (const p of shown) {
    for (const line of p.lines) parts.push(html`<p class="sub">${line}.</p>`)
    if (p.chart !== undefined) {
      const title = `${r.mode}: ${p.chart.title}`
      parts.push(html`<figure>${lineChart(title, p.chart.series, { xLabel: p.chart.xLabel, yLabel: p.chart.yLabel })}<figcaption>${title}: ${p.chart.caption}.</figcaption></figure>`)
    }
    if (p.table !== undefined) parts.push(rowsTable(p.table.rows, { caption: `${r.mode}: ${p.table.caption}` }))
  }
  return html`<h4>The kernel's and the host's view</h4>${join(parts, '\n')}`
}
