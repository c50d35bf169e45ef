/**
 * "Mode M spreads connections more skewed than random hashing" or "as random hashing does (uniform)": the
 * placement test (analyse/placement.ts: every measured trial's Pearson statistic summed, against uniform
 * random placement of the same connections; no trial is left out for the host's speed, which does not decide
 * where connections land), with the busiest listener over the least busy
 * as the study's figure. A non-rejection is only a finding when the test could have seen the study's skew:
 * the published ratio (`skew`, busiest over least busy) would have tested as skewed with probability 80% or
 * more at this many connections (analyse/power.ts); otherwise it is inconclusive, with the connections that
 * would give that power.
 */
import { median } from '../../analyse/bootstrap.js'
import { pooledPlacementTest } from '../../analyse/placement.js'
import { connectionsForPower, skewPower } from '../../analyse/power.js'
import { above, oneOf } from '../../shape.js'
import type { Placement } from '../../types/run.js'
import type { StudyCheck } from '../../types/study.js'
import { runsOf, whyNoRuns } from '../evidence.js'
import { field, missing, pc, sig } from './shape.js'
import type { Evidence, Judgement, StudyShape } from './shape.js'

const SKEWED = 'more skewed than random hashing'
const POWER = 0.8

/** Busiest over least busy per trial: the median of the trials where every listener got some, and how many left one idle. */
function maxMin (accepts: ReadonlyArray<readonly number[]>): { median: number | null, lo: number | null, hi: number | null, idle: number } {
  const ratios = accepts.filter(a => Math.min(...a) > 0).map(a => Math.max(...a) / Math.min(...a))
  const idle = accepts.length - ratios.length
  if (ratios.length === 0) return { median: null, lo: null, hi: null, idle }
  return { median: median(ratios), lo: Math.min(...ratios), hi: Math.max(...ratios), idle }
}

/** The finding from the test's classification, what was expected, and whether the published skew would have shown. */
function placementFinding (p: Placement, expectSkewed: boolean, power: number, need: number | null, skew: number): Pick<Judgement, 'finding' | 'why'> {
  const seen = p.classification
  const could = `a ${sig(skew)}x skew would have shown with probability ${pc(power)}`
  const resolve = need === null ? 'no practical number of connections would' : `about ${need.toLocaleString('en-US')} connections per trial would give 80%`
  if (seen === SKEWED) {
    return expectSkewed ? { finding: 'reproduced', why: 'the placement test found the spread more skewed than random hashing' } : { finding: 'contradicted', why: 'the placement test found the spread more skewed than random hashing' }
  }
  if (seen === 'not applicable') return { finding: 'inconclusive', why: 'too few connections to test' }
  if (power >= POWER) return expectSkewed ? { finding: 'contradicted', why: `${seen}, although ${could}` } : { finding: 'reproduced', why: `${seen}, and ${could}` }
  return { finding: 'inconclusive', why: `${seen}, but ${could}; ${resolve}` }
}

export const placement: StudyShape = {
  name: 'placement',
  needs: 'result',
  fields: { mode: 'string', expect: oneOf([SKEWED, 'consistent with random hashing']), skew: above(1, 1000) },
  modes: (c: StudyCheck) => [field<string>(c, 'mode')],
  judge (c: StudyCheck, e: Evidence): Judgement {
    const mode = field<string>(c, 'mode')
    const skew = field<number>(c, 'skew')
    if (e.result === undefined) return missing('no result')
    const accepts = runsOf(e.result, mode, false).map(r => r.listeners.map(l => l.accepts))
    if (accepts.length === 0) return missing(whyNoRuns(e.result, [mode]))
    const p = pooledPlacementTest(accepts, e.result.plan.seed)
    const k = accepts[0]?.length ?? 0
    const n = Math.round(median(accepts.map(a => a.reduce((x, y) => x + y, 0))))
    const power = skewPower(n, k, accepts.length, skew)
    const m = maxMin(accepts)
    const unit = e.result.plan.interleave === 'rounds' ? 'round' : 'trial'
    const ratio = m.median === null ? `a listener got no connection in every ${unit}` : `${sig(m.median)}x (range ${sig(m.lo ?? 0)} to ${sig(m.hi ?? 0)} over ${accepts.length - m.idle} ${unit}s${m.idle === 0 ? '' : `; ${m.idle} left a listener idle`})`
    const pValue = p.pMoreSkewed === null ? '' : `, p = ${sig(p.pMoreSkewed)} that random placement is as skewed`
    const measured = `${mode}: busiest over least busy listener's connections ${ratio}, ${n} connections on ${k} listeners per ${unit} (every measured ${unit}: where connections land does not depend on the host's speed); placement ${p.classification}${pValue}`
    const value = m.median === null ? null : { median: m.median, lo: m.lo, hi: m.hi, unit: 'x' }
    return { measured, value, ...placementFinding(p, field<string>(c, 'expect') === SKEWED, power, connectionsForPower(k, accepts.length, skew), skew) }
  }
}
