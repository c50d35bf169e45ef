// The chi-square and Student t laws (analyse/laws.ts), against closed forms,
// published quantiles and a seeded simulation of their own (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chiSquareCdf, chiSquareQuantile, tQuantile975 } from '../../src/analyse/laws.js'
import { rng } from '../../src/random.js'

const near = (actual: number, expected: number, rel: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected} (within ${rel * 100}%)`)

test('chi-square law against closed forms: df 2 is 1 - exp(-x/2), df 4 is 1 - exp(-x/2)(1 + x/2)', () => {
  for (const x of [0.1, 1, 4.2, 10, 30]) {
    near(chiSquareCdf(x, 2), 1 - Math.exp(-x / 2), 1e-9, `df 2 at ${x}`)
    near(chiSquareCdf(x, 4), 1 - Math.exp(-x / 2) * (1 + x / 2), 1e-9, `df 4 at ${x}`)
  }
  near(chiSquareQuantile(0.95, 1), 3.841459, 1e-5, 'df 1, 95%')
  near(chiSquareQuantile(0.975, 3), 9.348404, 1e-5, 'df 3, 97.5%')
  near(chiSquareQuantile(0.025, 7), 1.689869, 1e-5, 'df 7, 2.5%')
})

/** A standard normal draw (Box-Muller) from a seeded uniform source. */
function normal (rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

test('the t quantile matches a seeded simulation of t statistics: df 2, 4, 9, 40', () => {
  const rand = rng(11)
  for (const df of [2, 4, 9, 40]) {
    const draws = 40_000
    const ts = new Float64Array(draws)
    for (let d = 0; d < draws; d++) {
      let ss = 0
      for (let i = 0; i < df; i++) ss += normal(rand) ** 2
      ts[d] = normal(rand) / Math.sqrt(ss / df)
    }
    ts.sort()
    near(tQuantile975(df), ts[Math.floor(0.975 * draws)] ?? NaN, 0.04, `df ${df}`)
  }
})

test('the t quantile above the table joins it and tends to the normal 1.96', () => {
  near(tQuantile975(30), 2.042, 1e-3, 'df 30, the table')
  near(tQuantile975(31), 2.0395, 1e-3, 'df 31, the expansion')
  near(tQuantile975(120), 1.9799, 1e-3, 'df 120')
  near(tQuantile975(100_000), 1.96, 1e-3, 'df large')
  assert.equal(tQuantile975(0), Infinity)
})
