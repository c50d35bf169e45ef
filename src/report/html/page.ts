/** The HTML shell: inline CSS, no scripts, no external resources; prints well. */
import type { Markup } from './markup.js'
import { html } from './markup.js'

/** Our own stylesheet: template text, so it stays as written. */
const CSS = html`
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1100px; padding: 18px 22px 60px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: #555; margin: 0 0 12px; }
.verdict { background: #eef5fb; border-left: 4px solid #0072B2; padding: 10px 14px; font-size: 15px; margin: 14px 0; }
.verdict p { margin: 4px 0; }
.verdict summary { cursor: pointer; font-weight: bold; }
.summary { font-size: 16px; margin: 10px 0 14px; }
figure.glance { margin: 8px 0; }
section.glance details { margin: 0 0 12px; font-size: 13px; }
.warn { background: #fff4e5; border-left: 4px solid #E69F00; padding: 8px 12px; margin: 10px 0; }
b.f-good { color: #007a4d; } b.f-bad { color: #b00020; } b.f-warn { color: #9a5b00; } b.f-muted { color: #666; }
.headline { border-left: 4px solid #1f5fa8; padding: 2px 12px; margin: 10px 0; }
.headline p { margin: 4px 0; }
.fixture { background: #fde8e8; border: 2px dashed #b00020; padding: 8px 12px; margin: 10px 0; font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
.wide { overflow-x: auto; max-width: 100%; }
caption { text-align: left; font-weight: 600; padding: 2px 0 4px; }
th, td { border: 1px solid #d6d6d6; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.mismatch td { background: #fde8e8; font-weight: 600; }
tr.extra td { color: #333; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.charts figure { margin: 0; }
figcaption { font-size: 12px; color: #444; margin-top: 2px; max-width: 640px; }
svg.chart { background: #fff; border: 1px solid #e3e3e3; }
svg .grid { stroke: #e6e6e6; stroke-width: 1; }
svg text { fill: #222; font-family: inherit; }
.mode { page-break-inside: avoid; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
@media print { body { max-width: none; padding: 0; } h2 { page-break-after: avoid; } .charts { display: block; } }
`

export function page (title: string, body: Markup): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`
}
