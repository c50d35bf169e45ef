// Steady state (analyse/steady.ts): the last few throughputs agree within a tolerance (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isSteady, STEADY } from '../../src/analyse/steady.js'

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
