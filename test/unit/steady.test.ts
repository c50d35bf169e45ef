// Steady state (analyse/steady.ts): the last few throughputs agree within a tolerance (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AFTER_RAMP, isSteady, rampTicks, STEADY } from '../../src/analyse/steady.js'

test('a climb is not steady; three ticks within 5% of their mean are', () => {
  // The shape seen here: fresh listeners warming up over about 3 s (wrk, 1-s slices).
  const climb = [5204, 7138, 26245, 32616, 28900, 34063, 35207, 36575]
  const judged = climb.map((_x, i) => isSteady(climb.slice(0, i + 1)))
  assert.deepEqual(judged, [false, false, false, false, false, false, false, true])
  assert.equal(STEADY.window, 3)
})

test('too few ticks, zero throughput, or one tick out by more than the tolerance: not steady', () => {
  assert.equal(isSteady([100, 100]), false)
  assert.equal(isSteady([0, 0, 0]), false)
  assert.equal(isSteady([100, 100, 111]), false)
  assert.equal(isSteady([100, 100, 107]), true)
  assert.equal(isSteady([100, 100, 111], { window: 3, tolerance: 0.1 }), true)
})

test('the ramp: how many ticks it took to reach the level the warm-up settled at', () => {
  // Settled at about 35,400 (the last three); 34,063 is within 5% of it, 28,900 is not.
  assert.equal(rampTicks([5204, 7138, 26245, 32616, 28900, 34063, 35207, 36575]), 6)
  assert.equal(rampTicks([100, 101, 99]), 1, 'steady from the first tick')
  assert.equal(rampTicks([10, 50, 100, 101, 99]), 3)
  assert.equal(rampTicks([10, 50, 100]), 3, 'never settled: every tick')
  assert.equal(rampTicks([]), 1)
})

test('after the ramp, two ticks that agree are enough', () => {
  assert.equal(isSteady([20, 98, 100], AFTER_RAMP), true)
  assert.equal(isSteady([20, 90, 100], AFTER_RAMP), false)
  assert.equal(isSteady([100], AFTER_RAMP), false)
})
