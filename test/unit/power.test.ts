// How much more data would resolve a question (analyse/power.ts), checked
// against seeded simulation of the next run it sizes (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chiSquareQuantile, tQuantile975 } from '../../src/analyse/laws.js'
import { placementTest } from '../../src/analyse/placement.js'
import { connectionsForPower, connectionsToResolve, skewPower, trialsToResolve } from '../../src/analyse/power.js'
import { rng } from '../../src/random.js'

function normal (rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

test('trials to resolve: the t interval of that many pairs excludes 0 at the mean and spread seen, one fewer does not', () => {
  for (const [mean, sd] of [[0.02, 0.03], [-0.05, 0.04], [0.01, 0.05]] as const) {
    const m = trialsToResolve(mean, sd)
    assert.ok(m !== null)
    assert.ok(tQuantile975(m - 1) * sd / Math.sqrt(m) < Math.abs(mean), `${m} resolves`)
    if (m > 2) assert.ok(tQuantile975(m - 2) * sd / Math.sqrt(m - 1) >= Math.abs(mean), `${m - 1} does not`)
  }
})

test('trials to resolve: a simulated run of that many pairs resolves a true difference about half the time or more', () => {
  const rand = rng(5)
  const mean = 0.03
  const sd = 0.05
  const m = trialsToResolve(mean, sd) ?? 0
  let resolved = 0
  const runs = 2000
  for (let r = 0; r < runs; r++) {
    const xs = Array.from({ length: m }, () => mean + sd * normal(rand))
    const mu = xs.reduce((a, b) => a + b, 0) / m
    const s = Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (m - 1))
    if (mu - tQuantile975(m - 1) * s / Math.sqrt(m) > 0) resolved++
  }
  // At exactly the size that would resolve the seen difference, power is near 50% (more where the t law is wide).
  assert.ok(resolved / runs > 0.4 && resolved / runs < 0.75, `resolved in ${resolved} of ${runs} simulated runs of ${m} pairs`)
})

test('trials to resolve: nothing when there is no difference, no spread, or it would take more than 1,000', () => {
  assert.equal(trialsToResolve(0, 0.1), null)
  assert.equal(trialsToResolve(0.1, 0), null)
  assert.equal(trialsToResolve(0.0001, 0.5), null)
})

test('connections to resolve: a skew that keeps its shares is told from random hashing at about that many connections', () => {
  // 15/6/9 of 30: not distinguishable (p about 0.12). The same shares at the suggested size are.
  const counts = [15, 6, 9]
  const p = placementTest(counts)
  assert.equal(p.classification, 'consistent with random hashing')
  const n = p.connectionsToResolve ?? 0
  assert.ok(n > 30 && n < 200, `${n} connections`)
  const scaled = (m: number): number[] => counts.map(c => Math.round(c * m / 30))
  assert.equal(placementTest(scaled(n * 1.1)).classification, 'more skewed than random hashing', 'a little above the size: skewed')
  assert.equal(placementTest(scaled(n * 0.7)).classification, 'consistent with random hashing', 'well below it: not yet')
})

test('connections to resolve: a lean to evenness that stays within as many connections of even', () => {
  // 13/12/12/13 of 50 on 4 leans even; with the same absolute deviations at the suggested size it is more even than random.
  const p = placementTest([14, 12, 11, 13])
  if (p.classification !== 'consistent with random hashing') return assert.fail(`expected consistent, got ${p.classification}`)
  const n = p.connectionsToResolve ?? 0
  assert.ok(n > 50, `${n} connections`)
  // The chi-square law is an estimate here: at a few hundred connections the discrete law's lower tail is heavier, so allow up to twice as many.
  const q = Math.round(n * 2 / 4)
  assert.equal(placementTest([q + 2, q, q - 1, q + 1]).classification, 'more even than random placement')
  const r = Math.round(n * 0.7 / 4)
  assert.equal(placementTest([r + 2, r, r - 1, r + 1]).classification, 'consistent with random hashing', 'well below it: not yet')
  assert.equal(connectionsToResolve(50, 4, 1, 3), null, 'exactly the expectation: no lean')
  assert.equal(connectionsToResolve(50, 1, 1, 3), null, 'one listener: nothing to spread')
})

test('a spread that leans neither way (both p-values 0.2 or more) gets no number of connections', () => {
  const p = placementTest([17, 10, 11, 12])
  assert.ok((p.pMoreEven ?? 0) >= 0.2 && (p.pMoreSkewed ?? 0) >= 0.2, JSON.stringify(p))
  assert.equal(p.connectionsToResolve, null)
  assert.equal(placementTest([40, 5, 5, 0]).connectionsToResolve, undefined, 'already told apart: not asked')
})

test('skew power: the chance a published skew tests as skewed, against a seeded simulation of that skew', () => {
  const rand = rng(11)
  for (const [n, k, trials, ratio] of [[40, 4, 2, 3], [100, 4, 1, 2], [20, 8, 3, 3], [300, 4, 1, 1.3]] as const) {
    const w = Array.from({ length: k }, (_, i) => 1 + (ratio - 1) * i / (k - 1))
    const total = w.reduce((a, b) => a + b, 0)
    const cum = w.map((_, i) => w.slice(0, i + 1).reduce((a, b) => a + b, 0) / total)
    const crit = chiSquareQuantile(0.975, trials * (k - 1))
    let seen = 0
    const runs = 2000
    for (let r = 0; r < runs; r++) {
      let x = 0
      for (let t = 0; t < trials; t++) {
        const counts = new Array<number>(k).fill(0)
        for (let i = 0; i < n; i++) { const u = rand(); const j = cum.findIndex(c => u < c); counts[j] = (counts[j] ?? 0) + 1 }
        x += counts.reduce((a, c) => a + (c - n / k) ** 2 / (n / k), 0)
      }
      if (x > crit) seen++
    }
    const p = skewPower(n, k, trials, ratio)
    assert.ok(Math.abs(p - seen / runs) < 0.06, `n ${n} k ${k} trials ${trials} ratio ${ratio}: ${p.toFixed(3)} against ${(seen / runs).toFixed(3)} simulated`)
  }
  assert.equal(skewPower(100, 4, 1, 1), 0, 'no skew has nothing to detect')
})

test('connections for power: the first count at which the power reaches 80%, within the 25% steps it searches', () => {
  const n = connectionsForPower(4, 2, 3) ?? 0
  assert.ok(skewPower(n, 4, 2, 3) >= 0.8)
  assert.ok(skewPower(Math.floor(n / 1.25) - 1, 4, 2, 3) < 0.8)
  assert.equal(connectionsForPower(4, 1, 1.0000001), null, 'a skew too small for any practical count')
})
