// The host's pace (proc/pace.ts): one Node start on a quiet host, the median of three on a slow one, and the
// scale each gives the deadlines. The starts are given (a timer that returns set figures), so no process runs.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MOST_PACE_SCALE, QUIET_START_MS, measurePace, paceScale } from '../../src/proc/pace.js'
import type { NodeBinary } from '../../src/types/plan.js'

const node: NodeBinary = { path: '/usr/bin/node', version: 'v20.20.2' }

/** A timer that returns `ms` in turn, and counts its calls. */
function timer (ms: number[]): { time: () => Promise<number>, calls: () => number } {
  let n = 0
  return { time: async () => ms[n++] ?? NaN, calls: () => n }
}

test('a first start at or below a quiet host\'s is the pace: no second start, the deadlines as usual', async () => {
  for (const first of [90, QUIET_START_MS]) {
    const t = timer([first, 5000, 5000])
    assert.deepEqual(await measurePace(node, t.time), { nodeStartMs: first, scale: 1 })
    assert.equal(t.calls(), 1)
  }
})

test('a slower first start is timed twice more and the median counts, so one cold start does not scale the deadlines', async () => {
  const cold = timer([400, 120, 110])
  assert.deepEqual(await measurePace(node, cold.time), { nodeStartMs: 120, scale: 1 })
  assert.equal(cold.calls(), 3)
  const busy = timer([900, 600, 750])
  assert.deepEqual(await measurePace(node, busy.time), { nodeStartMs: 750, scale: paceScale(750) })
  assert.equal(paceScale(750), 5)
})

test('the scale is 1 up to a quiet start, grows with the start in tenths, and stops at its most', () => {
  assert.equal(paceScale(0), 1)
  assert.equal(paceScale(QUIET_START_MS), 1)
  assert.equal(paceScale(QUIET_START_MS * 1.5), 1.5)
  assert.equal(paceScale(QUIET_START_MS * MOST_PACE_SCALE * 4), MOST_PACE_SCALE)
})
