/**
 * The verdict of a grid (a sweep, or trials): one configuration (workers,
 * connections) at a time, from each cell's median over its trials and the
 * interval its number of trials supports; an order between modes is claimed
 * only where their intervals do not overlap.
 */
import type { Estimate, SweepCell } from '../types/docs.js'
import { hostLimit } from './verdict.js'

const r3 = (x: number): string => x.toFixed(3)
const whole = (x: number): string => Math.round(x).toLocaleString('en-US')

/** "min-max of 3 trials", "95% bootstrap interval of 12 trials", "1 trial, no interval". */
function over (e: Estimate): string {
  if (e.method === 'none' || e.n < 2) return '1 trial, no interval'
  return `${e.method === 'min-max' ? 'min-max' : '95% bootstrap interval'} of ${e.n} trials`
}

/** One cell's spread of connections: its pooled accepts against random placement, and Jain's index over the trials. */
function cellFairness (c: SweepCell): string {
  const p = c.placement
  const jain = `Jain's index ${r3(c.jain.median)} [${r3(c.jain.lo)}, ${r3(c.jain.hi)}] (${over(c.jain)})`
  if (p === undefined || p.jainRange === null) return `${c.mode}: ${jain}.`
  const pooled = `${p.trials !== undefined && p.trials > 1 ? `its ${p.trials} trials taken together are` : 'its trial is'} ${p.classification} (random placement of ${p.n} connections on ${p.k} gives ${r3(p.jainRange[0])} to ${r3(p.jainRange[1])} in 95% of cases per trial)`
  return `${c.mode}: ${pooled}; ${jain}.`
}

/** Which mode is fastest at this configuration, only where the intervals say so. */
function throughputOrder (cells: readonly SweepCell[]): string {
  const sorted = [...cells].sort((a, b) => b.rps.median - a.rps.median)
  const [top, next] = sorted
  const all = sorted.map(c => `${c.mode} ${whole(c.rps.median)} [${whole(c.rps.lo)}, ${whole(c.rps.hi)}]`).join(', ')
  if (top === undefined || next === undefined) return `req/s ${all}.`
  if (top.rps.n < 2) return `req/s ${all}: one trial each gives no interval, so no order between modes is claimed.`
  if (top.rps.lo > next.rps.hi) return `req/s ${all}: ${top.mode} is the fastest here; its range does not overlap the others'.`
  return `req/s ${all}: the ranges overlap, so there is no measurable difference in throughput between ${top.mode} and ${next.mode} at ${top.rps.n} trials; more trials would narrow them.`
}

export function sweepVerdict (cells: readonly SweepCell[], host?: { cpus: number }): string[] {
  const out: string[] = []
  const configs = [...new Set(cells.map(c => `${c.workers}|${c.connections}`))]
  for (const key of configs) {
    const here = cells.filter(c => `${c.workers}|${c.connections}` === key)
    const first = here[0]
    if (first === undefined) continue
    const head = `${first.workers} worker${first.workers === 1 ? '' : 's'}, ${first.connections} connections`
    out.push(`${head} - ${throughputOrder(here)}`)
    for (const c of here) if (c.workers > 1) out.push(`${head} - ${cellFairness(c)}`)
  }
  const limit = hostLimit(cells.map(c => c.workers), host)
  if (limit !== undefined) out.push(limit)
  return out
}
