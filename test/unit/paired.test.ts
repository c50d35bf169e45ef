// Ratios between modes from paired trials (analyse/paired.ts): the pairs
// formed, the interval's coverage against a seeded simulation (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pairedComparisons, pairedRatio } from '../../src/analyse/paired.js'
import type { PairedInput } from '../../src/analyse/paired.js'
import { rng } from '../../src/random.js'

function normal (rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

test('the 95% interval covers the true ratio in about 95% of simulated runs of 3 and of 6 pairs', () => {
  const rand = rng(3)
  for (const n of [3, 6]) {
    let covered = 0
    const runs = 4000
    for (let r = 0; r < runs; r++) {
      const p = pairedRatio(Array.from({ length: n }, () => 0.9 * Math.exp(0.06 * normal(rand))))
      if ((p.lo ?? 0) <= 0.9 && 0.9 <= (p.hi ?? 0)) covered++
    }
    assert.ok(covered / runs > 0.93 && covered / runs < 0.97, `${n} pairs: covered in ${covered} of ${runs}`)
  }
})

test('findings: higher or lower only when the interval excludes 1; otherwise the trials that would resolve it', () => {
  const lower = pairedRatio([0.66, 0.65, 0.67])
  assert.equal(lower.finding, 'lower')
  assert.ok((lower.hi ?? 1) < 1)
  assert.equal(lower.trialsToResolve, null)
  const unclear = pairedRatio([0.97, 1.04, 0.96])
  assert.equal(unclear.finding, 'no measurable difference')
  assert.ok((unclear.lo ?? 2) < 1 && (unclear.hi ?? 0) > 1)
  assert.ok(unclear.trialsToResolve === null || unclear.trialsToResolve > 3)
  const one = pairedRatio([1.2])
  assert.deepEqual([one.finding, one.lo, one.hi, one.ratio], ['no interval', null, null, 1.2])
  assert.deepEqual(pairedRatio([1.1, 0, NaN, 1.1]).pairs, [1.1, 1.1], 'a pair with nothing measured is left out')
})

test('pairs are the same trial of the same configuration; shared is the first baseline, then the plan\'s order, then the order seen', () => {
  const runs: PairedInput[] = []
  for (const trial of [1, 2, 3]) {
    for (const [mode, rps] of [['reuseport', 100], ['shared', 50], ['cluster', 80]] as const) {
      runs.push({ mode, workers: 4, connections: 50, trial, rps: rps * trial, p99Ms: 10 })
      runs.push({ mode, workers: 2, connections: 50, trial, rps: rps, p99Ms: 5 * trial })
    }
  }
  const c = pairedComparisons(runs, 'shared')
  assert.deepEqual(c.map(x => `${x.workers}: ${x.mode}/${x.against}`), ['2: reuseport/shared', '2: cluster/shared', '2: cluster/reuseport', '4: reuseport/shared', '4: cluster/shared', '4: cluster/reuseport'], 'configurations in grid order')
  const first = c[3]
  assert.deepEqual(first?.throughput.pairs, [2, 2, 2], 'trial t with trial t: the drift between trials cancels')
  assert.equal(first?.throughput.finding, 'higher')
  assert.deepEqual(c[5]?.p99.pairs, [1, 1, 1])
  assert.deepEqual(pairedComparisons(runs.filter(r => r.mode !== 'shared' || r.trial !== 2), 'shared')[0]?.throughput.pairs, [2, 2], 'a trial one mode lacks is no pair')
  // Side by side, runs are stored in their shuffled order: the plan's order decides, not the first slice.
  const planned = pairedComparisons([...runs].reverse(), 'none', ['reuseport', 'cluster', 'shared'])
  assert.deepEqual(planned.slice(0, 3).map(x => `${x.mode}/${x.against}`), ['cluster/reuseport', 'shared/reuseport', 'shared/cluster'])
})

test('A/A on simulated rounds whose host drifts 2x: pairs within rounds claim a difference about 5% of the time, with narrower intervals than pairs a round apart', () => {
  const rand = rng(26)
  const sims = 2000
  const rounds = 15
  let paired = 0
  let widthPaired = 0
  let widthApart = 0
  const width = (p: ReturnType<typeof pairedRatio>): number => Math.log((p.hi ?? 1) / (p.lo ?? 1))
  for (let s = 0; s < sims; s++) {
    // The host's speed wanders over the run (a random walk, clamped to 0.5x-1x, as seen here); each arm's slice
    // adds its own noise (20%); both arms of a round see the same speed. Cells "apart" take arm B a round later.
    let speed = 1
    const a: number[] = []
    const b: number[] = []
    for (let r = 0; r < rounds + 1; r++) {
      speed = Math.min(1, Math.max(0.5, speed * Math.exp(0.15 * normal(rand))))
      a.push(speed * Math.exp(0.2 * normal(rand)))
      b.push(speed * Math.exp(0.2 * normal(rand)))
    }
    const within = pairedRatio(a.slice(0, rounds).map((x, i) => x / (b[i] ?? 1)))
    if (within.finding !== 'no measurable difference') paired++
    widthPaired += width(within)
    widthApart += width(pairedRatio(a.slice(0, rounds).map((x, i) => x / (b[i + 1] ?? 1))))
  }
  assert.ok(paired / sims > 0.03 && paired / sims < 0.07, `paired within rounds: ${paired} of ${sims} claimed a difference`)
  // A round apart the drift between the two slices enters every pair: the intervals widen (less power), they do not lie.
  assert.ok(widthApart > 1.1 * widthPaired, `mean log-width a round apart ${(widthApart / sims).toFixed(3)}, within ${(widthPaired / sims).toFixed(3)}`)
})
