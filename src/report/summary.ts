/**
 * The one-sentence verdict under the report's pictures: each mode against
 * the baseline in requests/s and client p99 (the paired ratio with the
 * finding its interval supports, or that one trial gives none), then how the
 * modes spread connections against random hashing.
 */
import { wordsOfAll } from '../analyse/words.js'
import { num } from '../numbers.js'
import { measured } from '../analyse/validity.js'
import type { PairedRatio, ResultDoc } from '../types/docs.js'

function ratioText (r: PairedRatio, what: string): string {
  const found = r.finding === 'no interval' ? 'one pair, no interval' : r.finding === 'no measurable difference' ? 'no measurable difference' : `measurably ${r.finding}`
  return `${num(r.ratio, 2)}x the ${what} (${r.lo === null || r.hi === null ? found : `${num(r.lo, 2)} to ${num(r.hi, 2)}: ${found}`})`
}

/** How each mode's accepts fell against random hashing, grouped: 'reuseport, shared consistent with random hashing'. */
function fairnessClause (doc: ResultDoc): string {
  const groups = new Map<string, string[]>()
  const add = (mode: string, c: string | undefined): void => {
    if (c === undefined || c === 'not applicable') return
    const list = groups.get(c) ?? []
    if (!list.includes(mode)) list.push(mode)
    groups.set(c, list)
  }
  if (doc.sweep !== undefined) for (const s of doc.sweep) add(s.mode, s.placement?.classification)
  else for (const r of measured(doc.runs).filter(x => x.variant === undefined)) add(r.mode, r.placement?.classification)
  return [...groups].map(([c, modes]) => `${modes.join(', ')} ${c}`).join('; ')
}

/** The verdict in one sentence; undefined when nothing was measured. */
export function summarySentence (doc: ResultDoc): string | undefined {
  const runs = measured(doc.runs).filter(r => r.variant === undefined)
  if (runs.length === 0) return undefined
  const configs = new Set(runs.map(r => `${r.workers}/${r.load.connections}`))
  const trials = Math.max(...runs.map(r => r.trial))
  const against = (doc.paired ?? []).filter(p => p.against === doc.baseline)
  const fair = fairnessClause(doc)
  const w = wordsOfAll(runs)
  const spread = fair === '' ? '' : `; spread of ${w.connections}: ${fair}`
  if (configs.size > 1) {
    const differ = against.filter(p => p.throughput.finding === 'higher' || p.throughput.finding === 'lower')
    return `${configs.size} configurations, ${trials} trial${trials === 1 ? '' : 's'} each: ${differ.length} of ${against.length} mode comparisons with ${doc.baseline} differ measurably in ${w.perSecond}${differ.length === 0 ? '' : ` (${differ.map(p => `${p.mode} at ${p.workers} workers, ${p.connections} ${w.connections}: ${num(p.throughput.ratio, 2)}x`).join('; ')})`}${spread}.`
  }
  const first = runs[0]
  const where = first === undefined ? '' : `${first.workers} workers, ${first.load.connections} ${w.connections}, ${trials} trial${trials === 1 ? '' : 's'}`
  if (against.length > 0) {
    return `${where}: ${against.map(p => `${p.mode} ${ratioText(p.throughput, `${w.perSecond} of ${doc.baseline}`)} and ${ratioText(p.p99, 'client p99')}`).join('; ')}${spread}.`
  }
  const cmp = doc.comparison.filter(c => c.mode !== c.baseline)
  const ratios = cmp.length === 0 ? `no ${doc.baseline} run to compare with` : `${cmp.map(c => `${c.mode} ${num(c.throughputRatio, 2)}x the ${w.perSecond} of ${c.baseline} at ${num(c.p99Ratio, 2)}x its p99`).join('; ')} (one trial: no interval, so no difference is established)`
  return `${where}: ${ratios}${spread}.`
}
