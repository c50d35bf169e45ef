/**
 * Ratios between modes from paired trials. Trial t of every mode of one
 * configuration runs back to back (plan/grid.ts), so the ratio of the two
 * figures of a pair removes most of the drift of a shared machine. The
 * ratio is the geometric mean of the pairs' ratios, with a 95% Student t
 * interval of their mean logarithm: ratios are multiplicative, and their
 * logarithm is closer to normal than they are.
 */
import { tQuantile975 } from './laws.js'
import { trialsToResolve } from './power.js'
import { logSpread } from './precision.js'
import type { PairedComparison, PairedRatio } from '../types/docs.js'

/** What one run gives a pair: its cell and its figures. */
export interface PairedInput {
  mode: string
  workers: number
  connections: number
  trial: number
  rps: number
  p99Ms: number
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

/** The ratio and interval from the pairs' ratios (those that are positive and finite). */
export function pairedRatio (ratios: readonly number[]): PairedRatio {
  const pairs = ratios.filter(r => r > 0 && Number.isFinite(r))
  const logs = pairs.map(Math.log)
  const n = logs.length
  const mean = n === 0 ? 0 : logs.reduce((a, b) => a + b, 0) / n
  const base = { ratio: round4(Math.exp(mean)), pairs: pairs.map(round4) }
  if (n < 2) return { ...base, lo: null, hi: null, finding: 'no interval', trialsToResolve: null }
  const sd = logSpread(pairs) ?? 0
  const half = tQuantile975(n - 1) * sd / Math.sqrt(n)
  const lo = Math.exp(mean - half)
  const hi = Math.exp(mean + half)
  const finding = lo > 1 ? 'higher' : hi < 1 ? 'lower' : 'no measurable difference'
  return { ...base, lo: round4(lo), hi: round4(hi), finding, trialsToResolve: finding === 'no measurable difference' ? trialsToResolve(mean, sd) : null }
}

/** The order pairs are formed in: the baseline first, then in the plan's order (`planned`), then as first seen (runs side by side are stored in their shuffled order, which must not decide it). */
function modeOrder (runs: readonly PairedInput[], baseline: string, planned: readonly string[]): string[] {
  const seen = [...new Set([...planned, ...runs.map(r => r.mode)])].filter(m => runs.some(r => r.mode === m))
  return [...seen.filter(m => m === baseline), ...seen.filter(m => m !== baseline)]
}

/** Every two modes of each configuration, the later over the earlier (see modeOrder), from the trials both ran. */
export function pairedComparisons (runs: readonly PairedInput[], baseline: string, planned: readonly string[] = []): PairedComparison[] {
  const order = modeOrder(runs, baseline, planned)
  const configs = [...new Set([...runs].sort((a, b) => a.workers - b.workers || a.connections - b.connections).map(r => `${r.workers}|${r.connections}`))]
  const out: PairedComparison[] = []
  for (const key of configs) {
    const here = runs.filter(r => `${r.workers}|${r.connections}` === key)
    const modes = order.filter(m => here.some(r => r.mode === m))
    for (const [i, against] of modes.entries()) {
      for (const mode of modes.slice(i + 1)) {
        const pairs = here.filter(r => r.mode === mode).flatMap(a => {
          const b = here.find(r => r.mode === against && r.trial === a.trial)
          return b === undefined ? [] : [{ a, b }]
        }).sort((x, y) => x.a.trial - y.a.trial)
        if (pairs.length === 0) continue
        const first = pairs[0]?.a
        out.push({
          mode,
          against,
          workers: first?.workers ?? 0,
          connections: first?.connections ?? 0,
          throughput: pairedRatio(pairs.map(p => p.a.rps / p.b.rps)),
          p99: pairedRatio(pairs.map(p => p.a.p99Ms / p.b.p99Ms))
        })
      }
    }
  }
  return out
}
