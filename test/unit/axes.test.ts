// Round axis ticks (report/html/axes.ts): linear from 0, log across decades (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { linearTicks, logTicks, niceStep, tickLabel } from '../../src/report/html/axes.js'

test('linear ticks are multiples of 1, 2 or 5 times a power of ten, from 0 to at least the maximum', () => {
  assert.deepEqual(linearTicks(25), [0, 10, 20, 30], 'not 6.25 steps')
  assert.deepEqual(linearTicks(150_000), [0, 50_000, 100_000, 150_000], 'not 37,500 steps')
  assert.deepEqual(linearTicks(0.93), [0, 0.5, 1])
  assert.deepEqual(linearTicks(0), [0, 1])
  for (const max of [0.07, 3, 18.8, 777, 41_234, 9e6]) {
    const t = linearTicks(max)
    const step = (t[1] ?? 0) - (t[0] ?? 0)
    assert.ok((t[t.length - 1] ?? 0) >= max, `${max}: covered`)
    assert.ok(t.length >= 3 && t.length <= 6, `${max}: ${t.length} ticks`)
    assert.match(step.toExponential(), /^[125]e/, `${max}: step ${step}`)
  }
  assert.equal(niceStep(0.3, 4), 0.1)
})

test('log ticks cover the range from a tick at or below the minimum to one at or above the maximum', () => {
  assert.deepEqual(logTicks(0.31, 4.2), [0.2, 0.5, 1, 2, 5], 'under three decades: 1, 2, 5 between')
  assert.deepEqual(logTicks(0.05, 180), [0.01, 0.1, 1, 10, 100, 1000], 'more: powers of ten')
  assert.deepEqual(logTicks(2, 2), [2, 5])
  const t = logTicks(0.0123, 0.9)
  assert.ok((t[0] ?? 1) <= 0.0123 && (t[t.length - 1] ?? 0) >= 0.9, t.join(' '))
})

test('tick labels are short', () => {
  assert.deepEqual([0.05, 1, 250, 20_000, 1_500_000, 0.1 + 0.2].map(tickLabel), ['0.05', '1', '250', '20k', '1.5M', '0.3'])
})
