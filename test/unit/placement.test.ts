// Fairness against random hashing (analyse/placement.ts), checked against a
// seeded simulation of its own, closed forms of the chi-square law, and the
// examples in the issue (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chiSquareCdf } from '../../src/analyse/laws.js'
import { pearson, placementTest, pooledPlacementTest, simulatePearson } from '../../src/analyse/placement.js'

const near = (actual: number, expected: number, rel: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected} (within ${rel * 100}%)`)

test("Jain's index and Pearson's statistic are one-to-one: Jain = N / (N + X^2)", () => {
  for (const c of [[15, 6, 9], [10, 1, 0, 39], [13, 13, 12, 12]]) {
    const n = c.reduce((a, b) => a + b, 0)
    const jain = n * n / (c.length * c.reduce((a, b) => a + b * b, 0))
    near(n / (n + pearson(c)), jain, 1e-12, c.join('/'))
  }
})

/** A larger simulation, with another seed, to check the module's expectation and range against. */
function reference (n: number, k: number, draws: number): { mean: number, lo: number, hi: number } {
  const xs = simulatePearson(n, k, draws, 987654)
  const jains = Array.from(xs, x => n / (n + x)).sort((a, b) => a - b)
  const q = (p: number): number => jains[Math.floor(p * jains.length)] ?? NaN
  return { mean: jains.reduce((a, b) => a + b, 0) / jains.length, lo: q(0.025), hi: q(0.975) }
}

for (const [n, k, draws] of [[2, 2, 100_000], [50, 4, 100_000], [30, 3, 100_000], [200, 8, 50_000], [1000, 4, 20_000], [2000, 16, 10_000]] as const) {
  test(`${n} connections on ${k} listeners: expected Jain's index and 95% range within 1% of a simulation of ${draws.toLocaleString('en-US')} placements`, () => {
    const p = placementTest(Array.from({ length: k }, (_v, i) => i === 0 ? n : 0))
    const ref = reference(n, k, draws)
    assert.equal(p.method, n <= 500 ? 'simulation' : 'chi-square')
    near(p.expectedJain ?? NaN, ref.mean, 0.01, 'expected')
    near(p.jainRange?.[0] ?? NaN, ref.lo, 0.01, '2.5%')
    near(p.jainRange?.[1] ?? NaN, ref.hi, 0.01, '97.5%')
  })
}

test('two connections on two listeners: exactly 0.75 on average (half the time 0.5, half 1)', () => {
  near(placementTest([1, 1]).expectedJain ?? NaN, 0.75, 0.01, 'expected')
})

test("the issue's examples: 50 on 4 ranges about 0.84 to 0.995; 15/6/9 cannot be told from chance (p about 0.12)", () => {
  const p50 = placementTest([13, 12, 13, 12])
  near(p50.jainRange?.[0] ?? NaN, 0.84, 0.02, 'low end')
  assert.ok((p50.jainRange?.[1] ?? 0) >= 0.99)
  const t = placementTest([15, 6, 9])
  assert.equal(t.classification, 'consistent with random hashing')
  assert.ok((t.pMoreSkewed ?? 0) > 0.09 && (t.pMoreSkewed ?? 1) < 0.16, `p ${t.pMoreSkewed}`)
})

test('round-robin is more even than random placement; one busy listener and an idle one is more skewed; seeded, so repeatable', () => {
  assert.equal(placementTest([13, 13, 12, 12]).classification, 'more even than random placement')
  assert.equal(placementTest([250, 250, 250, 250]).classification, 'more even than random placement')
  assert.equal(placementTest([10, 1, 0, 39]).classification, 'more skewed than random hashing')
  assert.equal(placementTest([700, 100, 100, 100]).classification, 'more skewed than random hashing')
  assert.equal(placementTest([600, 560, 540]).method, 'chi-square')
  near(placementTest([600, 560, 540]).pMoreSkewed ?? NaN, Math.exp(-pearson([600, 560, 540]) / 2), 1e-3, 'df 2 tail')
  assert.deepEqual(placementTest([15, 6, 9], 7), placementTest([15, 6, 9], 7))
})

test('nothing to spread: one listener or fewer than two connections', () => {
  assert.equal(placementTest([50]).classification, 'not applicable')
  assert.equal(placementTest([0, 0, 0]).classification, 'not applicable')
})

test('trials together: a busy listener that changes from trial to trial is still skew (counts are not added up by index)', () => {
  const flipping = [[45, 5], [5, 45], [45, 5]]
  const p = pooledPlacementTest(flipping)
  assert.equal(p.classification, 'more skewed than random hashing')
  assert.equal(p.trials, 3)
  assert.equal(p.n, 50, 'one trial of the median size')
  // Added up by index, two trials that each put 40 of 50 on a different listener look perfectly even.
  assert.equal(pooledPlacementTest([[40, 10], [10, 40]]).classification, 'more skewed than random hashing')
  assert.notEqual(placementTest([50, 50]).classification, 'more skewed than random hashing')
  assert.equal(pooledPlacementTest([[13, 12, 12, 13], [12, 13, 13, 12], [13, 13, 12, 12]]).classification, 'more even than random placement')
  assert.equal(pooledPlacementTest([[14, 9, 15, 12], [11, 16, 10, 13], [12, 12, 17, 9]]).classification, 'consistent with random hashing')
})

test('trials together, large N: the summed statistic follows chi-square with trials x (K - 1) degrees of freedom', () => {
  const trials = [[600, 560, 540], [530, 590, 580], [575, 555, 570]]
  const x = trials.reduce((a, t) => a + pearson(t), 0)
  const p = pooledPlacementTest(trials)
  near(p.pMoreEven ?? NaN, chiSquareCdf(x, 6), 1e-3, 'lower tail')
  near(p.pMoreSkewed ?? NaN, 1 - chiSquareCdf(x, 6), 1e-3, 'upper tail')
  assert.deepEqual(pooledPlacementTest([[15, 6, 9]]), { ...placementTest([15, 6, 9]), trials: 1 }, 'one trial: the plain test')
})
