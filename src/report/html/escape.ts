/** Escapes text for HTML element content and attribute values. Every outside string goes through here. */
export function esc (s: unknown): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A simple HTML table; cells are escaped unless passed as { html }. */
import type { Rows } from '../rows.js'

export type TableCell = string | number | { html: string } | null
export function htmlTable (head: string[], rows: TableCell[][], opts: { caption?: string, rowClass?: (i: number) => string } = {}): string {
  const cell = (c: TableCell, tag: string): string => {
    if (c !== null && typeof c === 'object') return `<${tag}>${c.html}</${tag}>`
    const numeric = typeof c === 'number' || /^[-+]?\d[\d,]*(\.\d+)?(%| ms| us|x)?$/.test(String(c ?? ''))
    return `<${tag}${numeric ? ' class="num"' : ''}>${esc(c ?? '-')}</${tag}>`
  }
  const body = rows.map((r, i) => {
    const cls = opts.rowClass?.(i) ?? ''
    return `<tr${cls === '' ? '' : ` class="${esc(cls)}"`}>${r.map(c => cell(c, 'td')).join('')}</tr>`
  }).join('\n')
  return `<table>${opts.caption === undefined ? '' : `<caption>${esc(opts.caption)}</caption>`}<thead><tr>${head.map(h => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** Rows (report/rows.ts) as an HTML table, every column. */
export function rowsTable (t: Rows, opts: { caption?: string, rowClass?: (i: number) => string } = {}): string {
  return htmlTable(t.head, t.rows, opts)
}
