/**
 * A result as markdown to paste into an issue or a pull request (as
 * hyperfine's --export-markdown): the comparison, the sweep and paired
 * ratios where there are several trials, the verdict, and each run's
 * per-listener table, all from the same rows the terminal and the page use.
 */
import { comparisonRows, listenerRows, pairedRows, sweepRows } from './rows.js'
import type { Rows } from './rows.js'
import { verdictOf } from './verdictOf.js'
import { wordsOfAll } from '../analyse/words.js'
import type { ResultDoc } from '../types/docs.js'

/** A markdown table; pipes in cells are escaped. */
export function markdownTable (t: Rows): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  return [`| ${t.head.map(cell).join(' | ')} |`, `| ${t.head.map(() => '---').join(' | ')} |`, ...t.rows.map(r => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

export function resultMarkdown (doc: ResultDoc): string {
  const h = doc.host
  const words = wordsOfAll(doc.runs)
  const unit = doc.plan.interleave === 'rounds' ? 'round' : 'trial'
  const parts = [
    `## reuseport-bench${doc.label === '' ? '' : `: ${doc.label}`}`,
    `${h.platform} ${h.release}, ${h.cpus} x ${h.cpuModel}, Node ${h.node}; ${doc.createdAt}. Command: \`${doc.command}\``,
    '### Modes compared',
    markdownTable(comparisonRows(doc.runs, doc.comparison)),
    ...(doc.sweep === undefined ? [] : [`### Medians of the ${unit}s`, markdownTable(sweepRows(doc.sweep, unit, words))]),
    ...(doc.paired === undefined || doc.paired.length === 0 ? [] : [`### Paired ${unit}s`, markdownTable(pairedRows(doc.paired, unit, words))]),
    '### Verdict',
    verdictOf(doc).map(s => `- ${s}`).join('\n'),
    ...doc.runs.flatMap(r => [`### ${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`}: ${r.workers} workers, ${r.load.connections} connections, trial ${r.trial}`, markdownTable(listenerRows(r))])
  ]
  return parts.join('\n\n') + '\n'
}
