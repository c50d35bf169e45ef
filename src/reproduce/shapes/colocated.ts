/**
 * "With few long-lived connections, hashing puts them together and leaves listeners idle": per trial (each a
 * fresh set of connections), whether the connections landed on fewer listeners than they could have, against
 * the chance uniform random placement gives (1 - k!/((k-c)! k^c) for c connections on k listeners).
 *
 * - measure 'occurrence': reproduced when it happened in some trial; contradicted when it never did and random
 *   placement would have done it at least once with probability 95% or more; otherwise inconclusive.
 * - measure 'rps': the throughput of the trials where it happened over the others' (the geometric means' ratio
 *   with a 95% Welch t interval of the logarithms), with `expect` above or below 1, as the ratio shape judges.
 */
import { tQuantile975 } from '../../analyse/laws.js'
import { oneOf, optional } from '../../shape.js'
import type { PairedRatio } from '../../types/docs.js'
import type { ModeRun } from '../../types/run.js'
import type { StudyCheck } from '../../types/study.js'
import { leftOutNote, runsOf, whyNoRuns } from '../evidence.js'
import { ratioFinding } from './ratio.js'
import { field, missing, pc, sig } from './shape.js'
import type { Evidence, Judgement, StudyShape } from './shape.js'

/** The chance that c connections placed uniformly at random on k listeners use fewer than min(c, k) of them. */
export function colocatedChance (c: number, k: number): number {
  if (c < 2 || k < 2) return 0
  if (c > k) return 1 - surjective(c, k)
  let distinct = 1
  for (let i = 0; i < c; i++) distinct *= (k - i) / k
  return 1 - distinct
}

/** The share of placements of c connections on k listeners that use every listener (inclusion-exclusion). */
function surjective (c: number, k: number): number {
  let s = 0
  let choose = 1
  for (let j = 0; j <= k; j++) {
    s += (j % 2 === 0 ? 1 : -1) * choose * ((k - j) / k) ** c
    choose = choose * (k - j) / (j + 1)
  }
  return s
}

/** Whether a run's connections used fewer listeners than they could. */
export function isColocated (r: Pick<ModeRun, 'listeners'>): boolean {
  const accepts = r.listeners.map(l => l.accepts)
  const c = accepts.reduce((a, b) => a + b, 0)
  return accepts.filter(a => a > 0).length < Math.min(c, accepts.length)
}

/** The ratio of two groups' geometric means with a Welch t interval of the logs (in the PairedRatio form the findings read). */
export function groupRatio (a: readonly number[], b: readonly number[]): PairedRatio {
  const la = a.filter(x => x > 0).map(Math.log)
  const lb = b.filter(x => x > 0).map(Math.log)
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length
  const diff = la.length === 0 || lb.length === 0 ? 0 : mean(la) - mean(lb)
  const base = { ratio: Math.exp(diff), pairs: [], trialsToResolve: null }
  if (la.length < 2 || lb.length < 2) return { ...base, lo: null, hi: null, finding: 'no interval' }
  const v = (xs: number[]): number => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)
  const [va, vb] = [v(la) / la.length, v(lb) / lb.length]
  const se = Math.sqrt(va + vb)
  const df = se === 0 ? 1 : (va + vb) ** 2 / (va ** 2 / (la.length - 1) + vb ** 2 / (lb.length - 1))
  const half = tQuantile975(Math.max(1, Math.floor(df))) * se
  const [lo, hi] = [Math.exp(diff - half), Math.exp(diff + half)]
  return { ...base, lo, hi, finding: lo > 1 ? 'higher' : hi < 1 ? 'lower' : 'no measurable difference' }
}

function occurrence (runs: readonly ModeRun[], mode: string, note: string): Judgement {
  const k = runs[0]?.listeners.length ?? 0
  const c = runs[0]?.load.connections ?? 0
  const p0 = colocatedChance(c, k)
  const m = runs.filter(isColocated).length
  const never = (1 - p0) ** runs.length
  const measured = `${mode}: the ${c} connections used fewer listeners than they could in ${m} of ${runs.length} trials${note} (random placement: ${pc(p0)} of trials)`
  const value = { median: runs.length === 0 ? 0 : m / runs.length, lo: null, hi: null, unit: 'share of trials' }
  if (m > 0) return { measured, value, finding: 'reproduced', why: `it happened in ${m} trial${m === 1 ? '' : 's'}, leaving listeners idle while others served several connections` }
  if (never <= 0.05) return { measured, value, finding: 'contradicted', why: `never, where random placement would have done it at least once with probability ${pc(1 - never)}` }
  return { measured, value, finding: 'inconclusive', why: `never, but random placement would also never do it with probability ${pc(never)} in ${runs.length} trials; about ${Math.ceil(Math.log(0.05) / Math.log(1 - p0))} trials would tell` }
}

export const colocated: StudyShape = {
  name: 'colocated',
  needs: 'result',
  fields: { mode: 'string', measure: oneOf(['occurrence', 'rps']), expect: optional(oneOf(['above', 'below'])) },
  modes: (c: StudyCheck) => [field<string>(c, 'mode')],
  judge (c: StudyCheck, e: Evidence): Judgement {
    const mode = field<string>(c, 'mode')
    if (e.result === undefined) return missing('no result')
    const speed = field<string>(c, 'measure') === 'rps'
    const runs = runsOf(e.result, mode, speed)
    if (runs.length === 0) return missing(whyNoRuns(e.result, [mode]))
    const note = speed ? leftOutNote(e.result) : ''
    if (!speed) return occurrence(runs, mode, note)
    const together = runs.filter(isColocated).map(r => r.client.rps)
    const apart = runs.filter(r => !isColocated(r)).map(r => r.client.rps)
    const g = groupRatio(together, apart)
    const iv = g.lo === null || g.hi === null ? 'no interval' : `95% interval ${sig(g.lo)} to ${sig(g.hi)}`
    const measured = `${mode}: req/s of the ${together.length} trials with the connections together over the ${apart.length} with them apart: ${sig(g.ratio)}x (${iv}${note})`
    const value = { median: g.ratio, lo: g.lo, hi: g.hi, unit: 'x' }
    if (g.lo === null) return { measured, value, finding: 'inconclusive', why: `it takes two trials of each kind; ${together.length} together and ${apart.length} apart here` }
    return { measured, value, ...ratioFinding(g, field<'above' | 'below' | undefined>(c, 'expect') ?? 'below', 1, runs.length, 'trials') }
  }
}
