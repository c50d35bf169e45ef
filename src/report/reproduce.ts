/**
 * `reproduce` in the terminal: each study as it ends (the published figures, ours with their intervals, each
 * check's finding and why), and a closing table of every study.
 */
import { percent, sig } from '../numbers.js'
import { minutes } from '../numbers.js'
import type { ReproduceDoc, Study, StudyOutcome } from '../types/study.js'
import { table } from './terminal.js'

/** A study's block: its source, the published figures, the setup here, then each check. */
export function studyBlock (o: StudyOutcome): string {
  const lines = [`== ${o.id}: ${o.title}`, `   source: ${o.source.title} (${o.source.year}), ${o.source.url}`]
  for (const f of o.published.figures) lines.push(`   published: ${f.what}: "${f.quote}"${f.quotedFrom === undefined ? '' : ` (quoted from ${f.quotedFrom})`}`)
  if (o.status === 'not run') {
    lines.push(`   not run: ${o.reason ?? ''}`)
    return lines.join('\n')
  }
  for (const d of o.differences) lines.push(`   setup: ${d}`)
  if (o.sharedRunOf !== undefined) lines.push(`   (the same run as ${o.sharedRunOf})`)
  for (const c of o.checks) {
    lines.push(`   claim: ${c.claim}`)
    lines.push(`     ours: ${c.measured}`)
    lines.push(`     finding: ${c.finding}: ${c.why}`)
  }
  lines.push(`   result: ${o.unsaved === undefined ? o.file ?? '' : `not saved (${o.unsaved})`} (${minutes(o.seconds)})`)
  return lines.join('\n')
}

/** One row per check of every study (a study not run is one row), for the closing table. */
export function summaryTable (doc: ReproduceDoc): string {
  const rows = doc.studies.flatMap(o => o.status === 'not run'
    ? [[o.id, o.published.figures[0]?.quote ?? '', '-', 'not run', minutes(o.seconds)]]
    : o.checks.map((c, i) => [i === 0 ? o.id : '', c.claim, c.value === null ? c.measured : valueText(c.value), c.finding, i === 0 ? minutes(o.seconds) : '']))
  return table(['study', 'claim', 'ours', 'finding', 'time'], rows.map(r => r.map(cut)))
}

const cut = (s: string): string => s.length > 70 ? `${s.slice(0, 67)}...` : s

function valueText (v: NonNullable<StudyOutcome['checks'][number]['value']>): string {
  const f = (x: number): string => v.unit.startsWith('share') ? percent(x) : sig(x)
  const u = v.unit === 'x' ? 'x' : v.unit.startsWith('share') ? '' : ` ${v.unit}`
  return v.lo === null || v.hi === null ? `${f(v.median)}${u}` : `${f(v.median)}${u} [${f(v.lo)}, ${f(v.hi)}]`
}

/** `--list`: every study, what it runs, how long it takes here (full and quick), and whether it can run here. */
export function listTable (studies: ReadonlyArray<{ study: Study, sec: number, quickSec: number, notRun?: string }>): string {
  const rows = studies.map(({ study: s, sec, quickSec, notRun }) => [
    s.id,
    `${s.source.year}`,
    s.run.kind === 'probe' ? 'probe' : String(s.run.plan.modes ?? ''),
    notRun === undefined ? minutes(sec) : '-',
    notRun === undefined ? minutes(quickSec) : '-',
    notRun === undefined ? 'yes' : `no: ${notRun}`
  ])
  return table(['study', 'year', 'runs', 'time', '--quick', 'runs here'], rows)
}
