/**
 * The `reproduce` page: every study's published figures beside ours, the finding and why, each source linked
 * and each run's own report one click away. Self-contained: no script, no request, every outside string escaped.
 */
import { minutes } from '../../plan/estimate.js'
import type { ReproduceDoc, StudyOutcome } from '../../types/study.js'
import { esc, htmlTable } from './escape.js'
import { page } from './page.js'

/** Only web addresses become links; anything else (a file of this project) is shown as text. */
function sourceLink (o: StudyOutcome): string {
  const s = o.source
  const title = `${esc(s.title)} (${esc(s.year)})`
  const linked = /^https:\/\/[^\s"'<>]+$/.test(s.url) ? `<a href="${esc(s.url)}">${title}</a>` : `${title}, ${esc(s.url)}`
  return `${linked}${s.where === undefined ? '' : `<br><small>${esc(s.where)}</small>`}`
}

const FINDING_CLASS: Record<string, string> = { reproduced: 'f-good', contradicted: 'f-bad', inconclusive: 'f-warn', 'not run': 'f-muted' }

function findingCell (f: string): { html: string } {
  return { html: `<b class="${FINDING_CLASS[f] ?? ''}">${esc(f)}</b>` }
}

function studySection (o: StudyOutcome): string {
  const figures = htmlTable(['published figure', 'value', 'quote'], o.published.figures.map(f => [f.what, `${String(f.value)} ${f.unit}`, { html: `&ldquo;${esc(f.quote)}&rdquo;${f.quotedFrom === undefined ? '' : `<br><small>quoted from ${esc(f.quotedFrom)}</small>`}` }]))
  const head = `<h2 id="${esc(o.id)}">${esc(o.id)}: ${esc(o.title)}</h2>\n<p>${sourceLink(o)}</p>\n<p><b>Published setup:</b> ${esc(o.published.setup)}</p>\n${figures}`
  if (o.status === 'not run') return `${head}\n<p><b class="f-muted">Not run here:</b> ${esc(o.reason ?? '')}</p><p><b>Scaled setup:</b> ${esc(o.scaling)}</p>`
  const setup = `<p><b>How our setup differs:</b></p><ul>${o.differences.map(d => `<li>${esc(d)}</li>`).join('')}</ul>`
  const checks = htmlTable(['claim', 'ours', 'finding', 'why'], o.checks.map(c => [c.claim, c.measured, findingCell(c.finding), c.why]))
  const file = o.file ?? ''
  const report = file.endsWith('result.json') ? `<a href="${esc(file.replace(/result\.json$/, 'report.html'))}">its report</a>, ` : ''
  const shared = o.sharedRunOf === undefined ? '' : ` (the same run as ${esc(o.sharedRunOf)})`
  return `${head}\n${setup}\n${checks}\n<p>The run: ${report}<code>${esc(file)}</code>${shared}; ${esc(minutes(o.seconds))}.</p>`
}

/** The published figures' quotes, for the first row of a study in the summary. */
const quotes = (o: StudyOutcome): { html: string } => ({ html: o.published.figures.map(f => `&ldquo;${esc(f.quote)}&rdquo;`).join('<br>') })

function summary (doc: ReproduceDoc): string {
  const link = (o: StudyOutcome): { html: string } => ({ html: `<a href="#${esc(o.id)}">${esc(o.id)}</a>` })
  const rows = doc.studies.flatMap(o => o.status === 'not run'
    ? [[link(o), quotes(o), '', o.reason ?? '', findingCell('not run')]]
    : o.checks.map((c, i) => [i === 0 ? link(o) : '', i === 0 ? quotes(o) : '', c.claim, c.measured, findingCell(c.finding)]))
  return htmlTable(['study', 'published', 'claim', 'ours', 'finding'], rows)
}

export function renderReproduce (doc: ReproduceDoc): string {
  const h = doc.host
  const intro = `<h1>Published results on port sharing, re-measured here</h1>
<p>${esc(h.cpus)} CPUs (${esc(h.cpuModel)}), ${esc(h.platform)} ${esc(h.release)}, Node ${esc(h.node)}; ${doc.quick ? '<b>--quick</b> (a smaller version: wider intervals, more inconclusive findings), ' : ''}${esc(minutes(doc.seconds))} (estimated ${esc(minutes(doc.estimateSec))}), ${esc(doc.createdAt)}.</p>
<p><code>${esc(doc.command)}</code></p>
<p>Each claim is a shape (a relation, not an absolute number). A finding is <b>reproduced</b> only when the interval is clear of the line the claim draws; <b>contradicted</b> when it is clear on the other side (or rules out the size of effect the study reports); otherwise <b>inconclusive at this sample size</b>, with what would resolve it. Published figures are quoted as printed.</p>`
  return page('reuseport-bench reproduce', `${intro}\n${summary(doc)}\n${doc.studies.map(studySection).join('\n')}`)
}
