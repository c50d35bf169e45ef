/**
 * The probe on the terminal: the matrix with mismatches marked, skips with
 * reasons, and the accept-order sequences.
 */
import { acceptOrderRows, probeRows } from './rows.js'
import { textTable } from './terminal.js'
import type { ProbeDoc } from '../types/probe.js'

export function formatProbe (doc: ProbeDoc, color: boolean): string {
  const red = (s: string): string => color ? `\x1b[1;31m${s}\x1b[0m` : s
  const lines = textTable(probeRows(doc)).split('\n').map(l => l.includes('MISMATCH') ? red(l) : l)
  const out: string[] = []
  out.push(`== bind/listen matrix on ${doc.platform} ${doc.release} (specific IP ${doc.options.ip}); compared with ${doc.comparedWith ?? 'no published table'}`)
  out.push('(A holds its socket in one process while B tries in another; options set on both; "expected" is the article for its 24 cells, a man page where an extra row names one)')
  let group = ''
  let i = 0
  for (const l of lines) {
    if (i >= 2) {
      const g = doc.cells[i - 2]?.group ?? ''
      if (g !== group) {
        out.push(`-- ${g === 'article' ? "article's cells" : `extra: ${g}`}`)
        group = g
      }
    }
    out.push(l)
    i++
  }
  const s = doc.summary
  out.push(`article cells matching the article's ${doc.platform} table: ${s.articleMatches}/${s.articleCells}${s.mismatches > 0 ? red(` - ${s.mismatches} MISMATCH(ES)`) : ''}`)
  for (const k of doc.skipped) out.push(`skipped ${k.rows}: ${k.reason}`)
  if (doc.acceptOrder.length > 0 || (doc.acceptStyles ?? []).length > 0) {
    out.push('', `== accept order: ${doc.options.sequence} sequential connections (one at a time), listener index that served each; then ${doc.options.spread} connections counted per listener`)
    out.push(textTable(acceptOrderRows(doc)))
    out.push('(published, 3 workers and 6 connections: blocking accept 2,1,0,2,1,0; epoll on a shared socket 0,0,0,0,0,0 - Cloudflare 2017)')
  }
  if (doc.migrationWakeup !== undefined) out.push('', '== migration wakeup (a closing listener\'s queue moved to another socket of its group)', doc.migrationWakeup.sentence)
  const d = doc.datagramDelivery
  if (d !== undefined) out.push('', '== who receives UDP datagrams on a shared port', d.sentence, ...d.claims.map(c => `${c.source} (${c.os}): ${c.words}: ${c.here}`))
  return out.join('\n')
}
