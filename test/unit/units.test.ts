// Numbers as people type them (plan/units.ts): k/M counts, durations and
// latencies with units (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseCount, parseMillis, parseSeconds, parseShare, splitUnit } from '../../src/plan/units.js'

test('counts and rates: plain, k, M', () => {
  assert.deepEqual(['12', '1k', '2.5M', '1.5K', '-5'].map(parseCount), [12, 1000, 2500000, 1500, -5])
  assert.deepEqual(['1e3', '0x10', 'Infinity', '5m', '', 'k'].map(parseCount), [undefined, undefined, undefined, undefined, undefined, undefined])
})

test('durations: plain seconds or ms, s, m, h', () => {
  assert.deepEqual(['3', '0.5', '500ms', '10s', '2m', '1h'].map(parseSeconds), [3, 0.5, 0.5, 10, 120, 3600])
  assert.deepEqual(['2d', '1e3', '10 sec'].map(parseSeconds), [undefined, undefined, undefined])
})

test('latencies: plain ms or us, ms, s', () => {
  assert.deepEqual(['7', '50ms', '1s', '250us'].map(parseMillis), [7, 50, 1000, 0.25])
  assert.equal(parseMillis('1m'), undefined)
})

test('shares: a percentage or a fraction', () => {
  assert.deepEqual(['50%', '0.5', '100%', '12.5 %'].map(parseShare), [0.5, 0.5, 1, 0.125])
  assert.deepEqual(['50%%', 'half', '5k'].map(parseShare), [undefined, undefined, undefined])
})

test('splitUnit gives the number and the unit as typed, the one grammar every parser reads', () => {
  assert.deepEqual(splitUnit(' 2.5k '), { value: 2.5, unit: 'k' })
  assert.deepEqual(splitUnit('12'), { value: 12, unit: '' })
  assert.deepEqual(splitUnit('50 ms'), { value: 50, unit: 'ms' })
  assert.equal(splitUnit('1e3'), undefined)
  assert.equal(splitUnit('2k/s'), undefined)
})
