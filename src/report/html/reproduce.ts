/**
 * The `reproduce` page: every study's published figures beside ours, the finding and why, each source linked
 * and each run's own report one click away. Self-contained: no script, no request, every outside string escaped.
 */
import { minutes } from '../../numbers.js'
import type { ReproduceDoc, StudyOutcome } from '../../types/study.js'
import { htmlTable } from './table.js'
import type { Markup } from './markup.js'
import { html, join, pageText } from './markup.js'
import { page } from './page.js'

/** Only web addresses become links; anything else (a file of this project) is shown as text. */
function sourceLink (o: StudyOutcome): Markup {
  const s = o.source
  const title = `${s.title} (${s.year})`
  const linked = /^https:\/\/[^\s"'<>]+$/.test(s.url) ? html`<a href="${s.url}">${title}</a>` : `${title}, ${s.url}`
  return html`${linked}${s.where === undefined ? '' : html`<br><small>${s.where}</small>`}`
}

const FINDING_CLASS: Record<string, string> = { reproduced: 'f-good', contradicted: 'f-bad', inconclusive: 'f-warn', 'not run': 'f-muted' }

function findingCell (f: string): Markup {
  return html`<b class="${FINDING_CLASS[f] ?? ''}">${f}</b>`
}

function studySection (o: StudyOutcome): Markup {
  const figures = htmlTable(['published figure', 'value', 'quote'], o.published.figures.map(f => [f.what, `${String(f.value)} ${f.unit}`, html`&ldquo;${f.quote}&rdquo;${f.quotedFrom === undefined ? '' : html`<br><small>quoted from ${f.quotedFrom}</small>`}`]))
  const head = html`<h2 id="${o.id}">${o.id}: ${o.title}</h2>\n<p>${sourceLink(o)}</p>\n<p><b>Published setup:</b> ${o.published.setup}</p>\n${figures}`
  if (o.status === 'not run') return html`${head}\n<p><b class="f-muted">Not run here:</b> ${o.reason ?? ''}</p><p><b>Scaled setup:</b> ${o.scaling}</p>`
  const setup = html`<p><b>How our setup differs:</b></p><ul>${o.differences.map(d => html`<li>${d}</li>`)}</ul>`
  const checks = htmlTable(['claim', 'ours', 'finding', 'why'], o.checks.map(c => [c.claim, c.measured, findingCell(c.finding), c.why]))
  const file = o.file ?? ''
  const report = file.endsWith('result.json') ? html`<a href="${file.replace(/result\.json$/, 'report.html')}">its report</a>, ` : ''
  const shared = o.sharedRunOf === undefined ? '' : ` (the same run as ${o.sharedRunOf})`
  return html`${head}\n${setup}\n${checks}\n<p>The run: ${report}<code>${file}</code>${shared}; ${minutes(o.seconds)}.</p>`
}

/** The published figures' quotes, for the first row of a study in the summary. */
const quotes = (o: StudyOutcome): Markup => join(o.published.figures.map(f => html`&ldquo;${f.quote}&rdquo;`), html`<br>`)

function summary (doc: ReproduceDoc): Markup {
  const link = (o: StudyOutcome): Markup => html`<a href="#${o.id}">${o.id}</a>`
  const rows = doc.studies.flatMap(o => o.status === 'not run'
    ? [[link(o), quotes(o), '', o.reason ?? '', findingCell('not run')]]
    : o.checks.map((c, i) => [i === 0 ? link(o) : '', i === 0 ? quotes(o) : '', c.claim, c.measured, findingCell(c.finding)]))
  return htmlTable(['study', 'published', 'claim', 'ours', 'finding'], rows)
}

export function renderReproduce (doc: ReproduceDoc): string {
  const h = doc.host
  const intro = html`<h1>Published results on port sharing, re-measured here</h1>
<p>${h.cpus} CPUs (${h.cpuModel}), ${h.platform} ${h.release}, Node ${h.node}; ${doc.quick ? html`<b>--quick</b> (a smaller version: wider intervals, more inconclusive findings), ` : ''}${minutes(doc.seconds)} (estimated ${minutes(doc.estimateSec)}), ${doc.createdAt}.</p>
<p><code>${doc.command}</code></p>
<p>Each claim is a shape (a relation, not an absolute number). A finding is <b>reproduced</b> only when the interval is clear of the line the claim draws; <b>contradicted</b> when it is clear on the other side (or rules out the size of effect the study reports); otherwise <b>inconclusive at this sample size</b>, with what would resolve it. Published figures are quoted as printed.</p>`
  return pageText(page('reuseport-bench reproduce', html`${intro}\n${summary(doc)}\n${join(doc.studies.map(studySection), '\n')}`))
}
