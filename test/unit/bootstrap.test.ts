// Medians and seeded bootstrap intervals, checked against a seeded simulation.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { bootstrapMedian, estimateMedian, median } from '../../src/analyse/bootstrap.js'
import { rng } from '../../src/random.js'

test('median of odd, even and empty samples', () => {
  assert.equal(median([3, 1, 2]), 2)
  assert.equal(median([4, 1, 3, 2]), 2.5)
  assert.ok(Number.isNaN(median([])))
})

test('one value: no interval; the same seed gives the same interval', () => {
  assert.deepEqual(bootstrapMedian([5]), { median: 5, lo: 5, hi: 5, n: 1 })
  const xs = [1, 5, 2, 8, 3, 9, 4]
  assert.deepEqual(bootstrapMedian(xs, 500, 0.95, 3), bootstrapMedian(xs, 500, 0.95, 3))
  const e = bootstrapMedian(xs, 500)
  assert.ok(e.lo <= e.median && e.median <= e.hi)
})

test('95% intervals from 31 uniform values cover the true median in about 95% of 300 seeded samples', () => {
  const rand = rng(42)
  let covered = 0
  for (let i = 0; i < 300; i++) {
    const xs = Array.from({ length: 31 }, () => rand())
    const e = bootstrapMedian(xs, 400, 0.95, i + 1)
    if (e.lo <= 0.5 && 0.5 <= e.hi) covered++
  }
  // the percentile bootstrap of a median is somewhat liberal at this size; far from 95% would be a defect
  assert.ok(covered >= 0.88 * 300 && covered <= 0.99 * 300, `coverage ${covered}/300`)
})

test('the interval suits the number of trials: none for one, the min-max range below 10, the bootstrap from 10', () => {
  assert.deepEqual(estimateMedian([0.735]), { median: 0.735, lo: 0.735, hi: 0.735, n: 1, method: 'none' })
  assert.deepEqual(estimateMedian([3, 1, 2]), { median: 2, lo: 1, hi: 3, n: 3, method: 'min-max' })
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
  const e = estimateMedian(ten, 500, 4)
  assert.equal(e.method, 'bootstrap')
  assert.deepEqual({ ...e, method: undefined }, { ...bootstrapMedian(ten, 500, 0.95, 4), method: undefined })
})
