/**
 * The verdict of a grid (a sweep, or trials): one configuration (workers,
 * connections) at a time. Differences between modes come from paired trials
 * (analyse/paired.ts) and are stated only where their 95% interval excludes
 * "no difference"; otherwise the verdict says so and how many paired trials
 * would resolve one of the size seen. Results written before pairs existed
 * fall back to the overlap of the cells' ranges.
 */
import type { Estimate, PairedComparison, PairedRatio, SweepCell } from '../types/docs.js'
import { busiestClaimClause } from './busiest.js'
import { MOST_TRIALS } from './power.js'
import { hostLimit, publishedClause } from './verdict.js'
import type { VerdictHost } from './verdict.js'
import { TCP_WORDS } from './words.js'
import type { Words } from './words.js'

const r2 = (x: number | null): string => x === null ? '-' : x.toFixed(2)
const r3 = (x: number): string => x.toFixed(3)
const whole = (x: number): string => Math.round(x).toLocaleString('en-US')

/** What a pair is: a trial of cells, or a round of slices side by side (plan.interleave). */
export type PairUnit = 'trial' | 'round'

/** "min-max of 3 trials", "95% bootstrap interval of 12 trials", "1 trial, no interval" (or rounds). */
function over (e: Estimate, unit: PairUnit = 'trial'): string {
  if (e.method === 'none' || e.n < 2) return `1 ${unit}, no interval`
  return `${e.method === 'min-max' ? 'min-max' : '95% bootstrap interval'} of ${e.n} ${unit}s`
}

/** One cell's spread of connections: its trials against random placement, and Jain's index over the trials. */
function cellFairness (c: SweepCell, unit: PairUnit, w: Words): string {
  const p = c.placement
  // A UDP cell's Jain's index is of its datagrams; its placement, of its flows.
  const jain = `Jain's index${w.protocol === 'tcp' ? '' : ` of ${w.requests}`} ${r3(c.jain.median)} [${r3(c.jain.lo)}, ${r3(c.jain.hi)}] (${over(c.jain, unit)})`
  if (p === undefined || p.jainRange === null) return `${c.mode}: ${jain}.${busiestClaimClause(c, unit)}`
  const pooled = `${p.trials !== undefined && p.trials > 1 ? `its ${p.trials} ${unit}s taken together are` : `its ${unit} is`} ${p.classification} (random placement of ${p.n} ${w.connections} on ${p.k} gives ${r3(p.jainRange[0])} to ${r3(p.jainRange[1])} in 95% of cases per ${unit})`
  const more = p.connectionsToResolve === undefined
    ? ''
    : p.connectionsToResolve === null
      ? `; it leans neither way, so more ${w.connections} are not expected to change that`
      : `; if the spread held as seen, roughly ${whole(p.connectionsToResolve)} ${w.connections} per ${unit} would tell it apart (${w.protocol === 'tcp' ? '--connections, or --churn for more connections per run' : '--flows'})`
  // What is published of these modes is of TCP connections; a UDP run is not held against it.
  return `${c.mode}: ${pooled}${more}; ${jain}.${w.protocol === 'tcp' ? `${publishedClause(c.mode, p)}${busiestClaimClause(c, unit)}` : ''}`
}

/** What a paired ratio finds, in words: "0.98x [0.95, 1.02], no measurable difference (...)". */
export function pairedText (p: PairedRatio, better: { higher: string, lower: string }, unit: PairUnit = 'trial'): string {
  const x = `${r2(p.ratio)}x`
  if (p.finding === 'no interval') return `${x} (1 ${unit} each: no interval)`
  const head = `${x} [${r2(p.lo)}, ${r2(p.hi)}]`
  if (p.finding === 'higher') return `${head}, ${better.higher}`
  if (p.finding === 'lower') return `${head}, ${better.lower}`
  const diff = Math.abs(p.ratio - 1) * 100
  const size = diff < 0.05 ? 'under 0.1%' : `${diff.toFixed(1)}%`
  const resolve = p.trialsToResolve === null
    ? `a difference of ${size} would take more than ${MOST_TRIALS.toLocaleString('en-US')} paired ${unit}s at this spread: none of practical size`
    : unit === 'round'
      ? `about ${p.trialsToResolve} paired rounds (--trials x --duration / --slice) would resolve a ${size} difference at this spread`
      : `--trials ${p.trialsToResolve} would resolve a ${size} difference at this spread`
  return `${head}, no measurable difference (${resolve})`
}

/** Whether the client bound some trial of `mode` at this configuration. */
export type ClientBound = (mode: string, workers: number, connections: number) => boolean

/** One pair of modes at one configuration, over its paired trials; req/s is not ranked where the client bound either. */
function pairSentence (c: PairedComparison, bound: ClientBound, unit: PairUnit, w: Words): string {
  const n = c.throughput.pairs.length
  const which = [c.mode, c.against].filter(m => bound(m, c.workers, c.connections))
  const rps = which.length > 0 ? `${w.rate} not ranked (the client bound ${which.join(' and ')})` : `${w.rate} ${pairedText(c.throughput, { higher: 'faster', lower: 'slower' }, unit)}`
  const marked = c.hostUnstable === true ? `host unstable, not comparable (the host changed within every ${unit}; all are shown): ` : ''
  return `${marked}${c.mode} against ${c.against} over ${n} paired ${unit}${n === 1 ? '' : 's'} (95% interval): ${rps}; client p99 ${pairedText(c.p99, { higher: 'a longer tail', lower: 'a shorter tail' }, unit)}.`
}

/** The medians of each mode here, and an order only where the ranges do not overlap (results without pairs). */
function throughputOrder (cells: readonly SweepCell[], paired: boolean, unit: PairUnit, w: Words): string {
  const sorted = [...cells].sort((a, b) => b.rps.median - a.rps.median)
  const [top, next] = sorted
  const all = sorted.map(c => `${c.mode} ${whole(c.rps.median)} [${whole(c.rps.lo)}, ${whole(c.rps.hi)}]`).join(', ')
  const first = `${w.rate}, median [${top === undefined ? '' : over(top.rps, unit)}]: ${all}`
  if (top === undefined || next === undefined) return `${first}.`
  if (top.rps.n < 2) return `${first}; one ${unit} each gives no interval, so no order between modes is claimed.`
  if (paired) return `${first}.`
  if (top.rps.lo > next.rps.hi) return `${first}; ${top.mode} is the fastest here: its range does not overlap the others'.`
  return `${first}; the ranges overlap, so there is no measurable difference in throughput between ${top.mode} and ${next.mode} at ${top.rps.n} ${unit}s; more ${unit}s would narrow them.`
}

export function sweepVerdict (cells: readonly SweepCell[], host?: VerdictHost, paired?: readonly PairedComparison[], bound: ClientBound = () => false, unit: PairUnit = 'trial', w: Words = TCP_WORDS): string[] {
  const out: string[] = []
  const configs = [...new Set(cells.map(c => `${c.workers}|${c.connections}`))]
  for (const key of configs) {
    const here = cells.filter(c => `${c.workers}|${c.connections}` === key)
    const first = here[0]
    if (first === undefined) continue
    const head = `${first.workers} worker${first.workers === 1 ? '' : 's'}, ${first.connections} ${w.connections}`
    const pairs = (paired ?? []).filter(p => p.workers === first.workers && p.connections === first.connections)
    out.push(`${head} - ${throughputOrder(here, pairs.length > 0, unit, w)}`)
    if (first.rps.n >= 2) for (const p of pairs) out.push(`${head} - ${pairSentence(p, bound, unit, w)}`)
    for (const c of here) if (c.workers > 1) out.push(`${head} - ${cellFairness(c, unit, w)}`)
  }
  const limit = hostLimit(cells.map(c => c.workers), host)
  if (limit !== undefined) out.push(limit)
  return out
}
