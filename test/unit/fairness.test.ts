import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fairness } from '../../src/analyse/fairness.js'

test('perfectly even spread', () => {
  const f = fairness([10, 10, 10, 10])
  assert.equal(f.jain, 1)
  assert.equal(f.maxMinRatio, 1)
  assert.equal(f.cov, 0)
  assert.equal(f.busiestShare, 0.25)
  assert.equal(f.idle, 0)
})

test('everything on one process: jain is 1/n, max/min unbounded', () => {
  const f = fairness([0, 40, 0, 0])
  assert.equal(f.jain, 0.25)
  assert.equal(f.maxMinRatio, null)
  assert.equal(f.busiestShare, 1)
  assert.equal(f.idle, 3)
})

test('published-style skew, computed by hand', () => {
  // shared socket 10/1/0/39 (LWN 542629's figures): sum 50, sum of squares 1622
  const f = fairness([10, 1, 0, 39])
  assert.equal(f.jain, Math.round((2500 / (4 * 1622)) * 10000) / 10000)
  assert.equal(f.busiestShare, 0.78)
  // population sd of [10,1,0,39] around 12.5
  const sd = Math.sqrt(((10 - 12.5) ** 2 + (1 - 12.5) ** 2 + (0 - 12.5) ** 2 + (39 - 12.5) ** 2) / 4)
  assert.equal(f.cov, Math.round((sd / 12.5) * 10000) / 10000)
})

test('3x busiest over least busy', () => {
  assert.equal(fairness([3, 1, 2]).maxMinRatio, 3)
})

test('no data gives nulls, not NaN', () => {
  assert.deepEqual(fairness([]), { jain: null, maxMinRatio: null, cov: null, busiestShare: null, idle: 0 })
  assert.equal(fairness([0, 0]).jain, null)
})
