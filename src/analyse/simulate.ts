/**
 * Simulated hosts for the statistics' own checks: A/A pairs of arms (the same
 * true throughput) loaded in rounds of slices on a host that is steady,
 * drifting or bursty, judged by the same within-round rule
 * (analyse/hostCheck.ts) and the same stopping rule (analyse/precision.ts)
 * as a real run. Every claimed difference here is a false one, so the share
 * of runs that claim one is the rules' false-difference rate, to be near the
 * nominal 5%. Seeded and pure: the unit tests and `npm run bench:precision`
 * read the same figures.
 */
import { leaveOutUnstable } from './hostCheck.js'
import type { HostRun } from './hostCheck.js'
import { pairedRatio } from './paired.js'
import { halfWidth, preciseEnough } from './precision.js'
import { rng } from '../random.js'

/** How other processes behave over a simulated run. */
export type HostKind = 'quiet' | 'steady' | 'drifting' | 'bursty'

export interface SimOptions {
  host: HostKind
  /** Spread of one slice's log throughput from its own noise (this host: about 0.08 between the two halves of a pair). */
  sliceSd: number
  /** The precision asked (null: a fixed number of rounds, `rounds`). */
  precision: number | null
  rounds: number
  /** The most rounds a run with a precision may take (its budget). */
  maxRounds: number
  seed: number
}

/** One simulated run's outcome. */
export interface SimRun { rounds: number, kept: number, claimed: boolean, halfWidth: number | null }

const normal = (rand: () => number): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())

/** Other processes' share of the CPUs during slice `t` of `n` (and the slowdown it causes, which the rule does not see directly). */
function foreignAt (host: HostKind, t: number, n: number, rand: () => number, burst: { left: number }): number {
  switch (host) {
    case 'quiet': return 0.005 + 0.005 * rand()
    case 'steady': return 0.46 + 0.04 * normal(rand)
    case 'drifting': return 0.1 + 0.5 * t / Math.max(1, n) + 0.02 * normal(rand)
    case 'bursty': {
      if (burst.left > 0) { burst.left--; return 0.6 + 0.05 * normal(rand) }
      if (rand() < 0.08) burst.left = 1 + Math.floor(rand() * 4)
      return 0.05 + 0.02 * rand()
    }
  }
}

/** Two arms of one kind in rounds on the simulated host, until the rounds or the precision say stop. */
export function simulateRun (o: SimOptions): SimRun {
  const rand = rng(o.seed)
  const burst = { left: 0 }
  const runs: Array<HostRun & { rps: number }> = []
  const most = o.precision === null ? o.rounds : o.maxRounds
  let t = 0
  let round = 0
  let width: number | null = null
  let kept = 0
  let claimed = false
  while (round < most) {
    round++
    for (const mode of rand() < 0.5 ? ['a', 'b'] : ['b', 'a']) {
      const foreign = Math.min(0.95, Math.max(0, foreignAt(o.host, t++, most * 2, rand, burst)))
      // Other processes slow the slice in proportion to what they take; the slice's own noise comes on top.
      const rps = 10_000 * (1 - 0.5 * foreign) * Math.exp(o.sliceSd * normal(rand))
      runs.push({ mode, workers: 4, connections: 50, trial: round, rps, contention: { cpus: [0, 1], wallMs: 1000, busyMs: 0, ownMs: 0, foreignShare: foreign, stealShare: 0 } })
    }
    const good = leaveOutUnstable(runs).kept
    const pairs = [...new Set(good.map(r => r.trial))].flatMap(tr => {
      const a = good.find(r => r.trial === tr && r.mode === 'a')
      const b = good.find(r => r.trial === tr && r.mode === 'b')
      return a === undefined || b === undefined ? [] : [a.rps / b.rps]
    })
    const p = pairedRatio(pairs)
    kept = pairs.length
    width = halfWidth(p)
    claimed = p.finding === 'higher' || p.finding === 'lower'
    if (o.precision !== null && preciseEnough(pairs, o.precision)) break
  }
  return { rounds: round, kept, claimed, halfWidth: width }
}

/** Of `runs` seeded runs, how many claimed a difference, and how many rounds they took (median). */
export function falseDifferenceRate (o: Omit<SimOptions, 'seed'>, runs: number, seed = 1): { claimed: number, runs: number, rate: number, medianRounds: number, resolved: number } {
  const all = Array.from({ length: runs }, (_x, i) => simulateRun({ ...o, seed: seed * 7919 + i }))
  const claimed = all.filter(r => r.claimed).length
  const rounds = all.map(r => r.rounds).sort((a, b) => a - b)
  const resolved = o.precision === null ? 0 : all.filter(r => r.halfWidth !== null && r.halfWidth <= (o.precision ?? 0)).length
  return { claimed, runs, rate: claimed / runs, medianRounds: rounds[Math.floor(runs / 2)] ?? 0, resolved }
}
