/**
 * "A's figure is above (below) B's", or "within X of B's": the ratio of one mode's figure over another's from
 * their paired trials (trial t of both ran back to back, or side by side in round t), the geometric mean of the
 * pairs with its 95% t interval (analyse/paired.ts, the same statistics as the run's paired table).
 *
 * - above: reproduced when the interval lies above 1; contradicted when it lies below 1, or below `by` (the
 *   smallest gain the study would count as its effect); otherwise inconclusive. `below` mirrors it.
 * - within: reproduced when the interval lies inside [1 - within, 1 + within]; contradicted when it lies wholly
 *   outside; otherwise inconclusive.
 */
import { wordsOfAll } from '../../analyse/words.js'
import { pairedRatio } from '../../analyse/paired.js'
import { num, oneOf, optional } from '../../shape.js'
import type { PairedRatio } from '../../types/docs.js'
import type { StudyCheck } from '../../types/study.js'
import { leftOutNote, METRIC_NAMES, METRICS, runsOf, whyNoRuns } from '../evidence.js'
import type { Metric } from '../evidence.js'
import { field, missing, sig } from './shape.js'
import type { Evidence, Judgement, StudyShape } from './shape.js'

type Relation = 'above' | 'below' | 'within'

/** The pairs' ratio of `metric`, mode over against, from the trials both kept. */
export function ratioOf (e: Evidence, mode: string, against: string, metric: Metric): PairedRatio | undefined {
  if (e.result === undefined) return undefined
  const a = runsOf(e.result, mode)
  const b = new Map(runsOf(e.result, against).map(r => [r.trial, r]))
  const ratios = a.flatMap(r => {
    const o = b.get(r.trial)
    return o === undefined ? [] : [METRICS[metric].of(r) / METRICS[metric].of(o)]
  })
  return ratios.length === 0 ? undefined : pairedRatio(ratios)
}

/** More pairs that would bring an interval of this half-width (in logs) under `room`, from `n` pairs; null when no number would. */
function pairsFor (n: number, halfLog: number, room: number): number | null {
  if (!(room > 0) || !(halfLog > 0)) return null
  const m = Math.ceil(n * (halfLog / room) ** 2)
  return m > 1000 ? null : Math.max(m, n + 1)
}

/** The finding and why, from the interval and the relation; `n` of `unit` gave the interval (for what would settle it). */
export function ratioFinding (p: PairedRatio, rel: Relation, bound: number, n = p.pairs.length, unit = 'pairs'): Pick<Judgement, 'finding' | 'why'> {
  if (p.lo === null || p.hi === null) return { finding: 'inconclusive', why: 'one pair gives no interval; run more trials' }
  const { lo, hi } = p
  const halfLog = (Math.log(hi) - Math.log(lo)) / 2
  const more = (room: number): string => {
    const m = pairsFor(n, halfLog, room)
    return m === null ? `no number of ${unit} this noisy would settle it` : `about ${m} ${unit} at this spread would settle it`
  }
  const iv = `[${sig(lo)}, ${sig(hi)}]`
  if (rel === 'within') {
    const [a, b] = [1 - bound, 1 + bound]
    if (lo >= a && hi <= b) return { finding: 'reproduced', why: `the interval ${iv} lies within ${sig(a)} to ${sig(b)}` }
    if (hi < a || lo > b) return { finding: 'contradicted', why: `the interval ${iv} lies outside ${sig(a)} to ${sig(b)}` }
    // More pairs narrow the interval round the ratio seen: into the band if it lies inside, clear of it if outside.
    const edge = p.ratio >= 1 ? Math.log(b) : -Math.log(a)
    return { finding: 'inconclusive', why: `the interval ${iv} reaches beyond ${sig(a)} to ${sig(b)}; ${more(Math.abs(Math.abs(Math.log(p.ratio)) - edge))}` }
  }
  const up = rel === 'above'
  if (up ? lo > 1 : hi < 1) return { finding: 'reproduced', why: `the interval ${iv} lies ${up ? 'above' : 'below'} 1` }
  if (up ? hi < 1 : lo > 1) return { finding: 'contradicted', why: `the interval ${iv} lies ${up ? 'below' : 'above'} 1: the opposite direction` }
  if (up ? hi < bound : lo > bound) return { finding: 'contradicted', why: `no measurable difference, and the interval ${iv} rules out the ${sig(bound)}x the study would count as its effect` }
  // The paired ratio already sized this (analyse/power.ts, as the run's paired table says it); the estimate below only where it did not.
  const settle = p.trialsToResolve === null ? more(Math.abs(Math.log(p.ratio))) : `about ${p.trialsToResolve} ${unit} at this spread would settle it`
  return { finding: 'inconclusive', why: `no measurable difference: the interval ${iv} includes 1; ${settle}` }
}

export const ratio: StudyShape = {
  name: 'ratio',
  needs: 'result',
  fields: { mode: 'string', against: 'string', metric: oneOf(METRIC_NAMES), expect: oneOf(['above', 'below', 'within']), by: optional(num(0.001, 1000)), within: optional(num(0.001, 0.999)) },
  modes: (c: StudyCheck) => [field<string>(c, 'mode'), field<string>(c, 'against')],
  judge (c: StudyCheck, e: Evidence): Judgement {
    const [mode, against] = [field<string>(c, 'mode'), field<string>(c, 'against')]
    const metric = field<Metric>(c, 'metric')
    const rel = field<Relation>(c, 'expect')
    const p = ratioOf(e, mode, against, metric)
    if (p === undefined) return missing(e.result === undefined ? 'no result' : whyNoRuns(e.result, [mode, against]))
    const bound = rel === 'within' ? (field<number | undefined>(c, 'within') ?? 0.1) : (field<number | undefined>(c, 'by') ?? 1)
    const iv = p.lo === null || p.hi === null ? 'no interval' : `95% interval ${sig(p.lo)} to ${sig(p.hi)}`
    // A UDP result's throughput is datagrams/s.
    const label = metric === 'rps' && e.result !== undefined ? wordsOfAll(e.result.runs).rate : METRICS[metric].label
    const measured = `${label} of ${mode} over ${against}: ${sig(p.ratio)}x (${iv}; ${p.pairs.length} pair${p.pairs.length === 1 ? '' : 's'}${e.result === undefined ? '' : leftOutNote(e.result)})`
    return { measured, value: { median: p.ratio, lo: p.lo, hi: p.hi, unit: 'x' }, ...ratioFinding(p, rel, bound) }
  }
}
