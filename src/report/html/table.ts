/** HTML tables: every cell is text, escaped, unless it is markup our own code built (markup.ts). */
import type { Rows } from '../rows.js'
import type { Markup } from './markup.js'
import { html } from './markup.js'

export type TableCell = string | number | Markup | null

const NUMERIC = /^[-+]?\d[\d,]*(\.\d+)?(%| ms| us|x)?$/

function cell (c: TableCell): Markup {
  if (c !== null && typeof c === 'object') return html`<td>${c}</td>`
  const numeric = typeof c === 'number' || NUMERIC.test(String(c ?? ''))
  return html`<td${numeric ? html` class="num"` : ''}>${c ?? '-'}</td>`
}

/** A simple table: a head row and body rows, with an optional caption and a class per row. */
export function htmlTable (head: readonly string[], rows: readonly TableCell[][], opts: { caption?: string, rowClass?: (i: number) => string } = {}): Markup {
  const body = rows.map((r, i) => {
    const cls = opts.rowClass?.(i) ?? ''
    return html`<tr${cls === '' ? '' : html` class="${cls}"`}>${r.map(cell)}</tr>\n`
  })
  return html`<table>${opts.caption === undefined ? '' : html`<caption>${opts.caption}</caption>`}<thead><tr>${head.map(h => html`<th>${h}</th>`)}</tr></thead><tbody>\n${body}</tbody></table>`
}

/** Rows (report/rows.ts) as an HTML table, every column. */
export function rowsTable (t: Rows, opts: { caption?: string, rowClass?: (i: number) => string } = {}): Markup {
  return htmlTable(t.head, t.rows, opts)
}
