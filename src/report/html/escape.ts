/** Escapes text for HTML element content and attribute values. Every outside string goes through here. */
export function esc (s: unknown): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A number for humans: thousands separators, `digits` decimals; '-' for null. */
export function fmt (x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-'
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function pct (x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`
}

/** A simple HTML table; cells are escaped unless passed as { html }. */
export type TableCell = string | number | { html: string } | null
export function htmlTable (head: string[], rows: TableCell[][], opts: { caption?: string, rowClass?: (i: number) => string } = {}): string {
  const cell = (c: TableCell, tag: string): string => {
    if (c !== null && typeof c === 'object') return `<${tag}>${c.html}</${tag}>`
    const num = typeof c === 'number' || /^[-+]?\d[\d,]*(\.\d+)?(%| ms| us|x)?$/.test(String(c ?? ''))
    return `<${tag}${num ? ' class="num"' : ''}>${esc(c ?? '-')}</${tag}>`
  }
  const body = rows.map((r, i) => {
    const cls = opts.rowClass?.(i) ?? ''
    return `<tr${cls === '' ? '' : ` class="${esc(cls)}"`}>${r.map(c => cell(c, 'td')).join('')}</tr>`
  }).join('\n')
  return `<table>${opts.caption === undefined ? '' : `<caption>${esc(opts.caption)}</caption>`}<thead><tr>${head.map(h => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`
}
