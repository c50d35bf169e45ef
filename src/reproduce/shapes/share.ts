/**
 * "The busiest `top` listeners take over `atLeast` of the connections": the busiest few's share of each
 * trial's (or slice's) connections, its median over trials with the interval their number supports, beside
 * uniform random placement's 95% range (analyse/busiest.ts, the figure the sweep table and Node's claim
 * verdict use). Reproduced when the interval lies above `atLeast`; contradicted when it lies below;
 * otherwise inconclusive.
 */
import { busiestShare } from '../../analyse/busiest.js'
import { int, num } from '../../shape.js'
import type { StudyCheck } from '../../types/study.js'
import { runsOf, whyNoRuns } from '../evidence.js'
import { field, missing, pc } from './shape.js'
import type { Evidence, Judgement, StudyShape } from './shape.js'

export const share: StudyShape = {
  name: 'share',
  needs: 'result',
  fields: { mode: 'string', top: int(1, 64), atLeast: num(0, 1) },
  modes: (c: StudyCheck) => [field<string>(c, 'mode')],
  judge (c: StudyCheck, e: Evidence): Judgement {
    const mode = field<string>(c, 'mode')
    const top = field<number>(c, 'top')
    const atLeast = field<number>(c, 'atLeast')
    if (e.result === undefined) return missing('no result')
    const runs = runsOf(e.result, mode, false)
    const b = busiestShare(runs.map(r => r.listeners.map(l => l.accepts)), top, e.result.plan.seed)
    if (b === undefined) return missing(runs.length === 0 ? whyNoRuns(e.result, [mode]) : `it takes more than ${top} listeners`)
    const s = b.share
    const unit = e.result.plan.interleave === 'rounds' ? 'round' : 'trial'
    const iv = s.n < 2 ? 'no interval from one' : `${s.method === 'bootstrap' ? '95% bootstrap interval' : 'range'} ${pc(s.lo)} to ${pc(s.hi)} over ${s.n} ${unit}s; every measured ${unit}: where connections land does not depend on the host's speed`
    const measured = `the busiest ${top} of ${b.k} ${mode} listeners took ${pc(s.median)} of each ${unit}'s ${b.connections} connections (${iv}); uniform random placement gives ${pc(b.random[0])} to ${pc(b.random[1])}`
    const value = { median: s.median, lo: s.n < 2 ? null : s.lo, hi: s.n < 2 ? null : s.hi, unit: 'share' }
    if (s.n < 2) return { measured, value, finding: 'inconclusive', why: `one ${unit} gives no interval; run more` }
    if (s.lo > atLeast) return { measured, value, finding: 'reproduced', why: `the interval lies above ${pc(atLeast)}` }
    if (s.hi < atLeast) return { measured, value, finding: 'contradicted', why: `the interval lies below ${pc(atLeast)}` }
    return { measured, value, finding: 'inconclusive', why: `the interval spans ${pc(atLeast)}; more ${unit}s narrow it` }
  }
}
