/**
 * A cell's kernel view on the report page: accept queue length over the load
 * per listening socket (a chart), the queue table, and the TCP counters.
 */
import { countersOf, countersText, queueRows, queuesOf, queuesText } from '../kernel.js'
import { esc, rowsTable } from './escape.js'
import { lineChart } from './svg.js'
import type { ModeRun } from '../../types/run.js'

export function kernelSection (r: ModeRun): string {
  const q = queuesOf(r)
  const c = countersOf(r)
  if (q === undefined && c === undefined) return ''
  const parts: string[] = []
  if (q !== undefined) {
    parts.push(`<p class="sub">${esc(queuesText(q))}.</p>`)
    if (q.sockets.length > 0 && q.tMs.length > 1) {
      const series = q.sockets.map(s => ({ name: s.owner, points: s.series.map((y, k): [number, number] => [(q.tMs[k] ?? 0) / 1000, y]) }))
      const title = `${r.mode}: accept queue length over the load, per listening socket`
      parts.push(`<figure>${lineChart(title, series, { xLabel: 'seconds into the load', yLabel: 'connections waiting' })}<figcaption>${esc(title)}: connections the kernel accepted that no process had taken yet, sampled every ${q.intervalMs} ms (the largest of each span where the series was thinned).</figcaption></figure>`)
    }
    if (q.sockets.length > 0) parts.push(rowsTable(queueRows(q), { caption: `${r.mode}: accept queues` }))
  }
  if (c !== undefined) parts.push(`<p class="sub">${esc(countersText(c))}.</p>`)
  return `<h4>The kernel's view</h4>${parts.join('\n')}`
}
