// The one set of number formatters (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fairnessText, interval, loadGeneratorText, maxMin, num, percent, ratio, share } from '../../src/report/format.js'

test('numbers: separators, decimals, and "-" for what is missing', () => {
  assert.equal(num(12345.678, 1), '12,345.7')
  assert.equal(num(2), '2')
  assert.equal(num(-1234567.891, 2), '-1,234,567.89')
  assert.equal(num(-0.0001, 2), '0.00')
  assert.equal(num(0.6635, 3), (0.6635).toFixed(3), 'rounds as toFixed does, like the verdict sentences')
  assert.equal(num(null), '-')
  assert.equal(num(undefined, 3), '-')
  assert.equal(num(Infinity), '-')
  assert.equal(percent(0.1234), '12.3%')
  assert.equal(percent(0.5, 0), '50%')
  assert.equal(share(1, 0), '-')
  assert.equal(ratio(3, 2), '1.50x')
  assert.equal(ratio(3, 0), '-')
  assert.equal(interval({ median: 1000, lo: 900.4, hi: 1100.6, n: 12, method: 'bootstrap' }, 0), '1,000 [900, 1,101]')
  assert.equal(interval({ median: 1000, lo: 900.4, hi: 1100.6, n: 3, method: 'min-max' }, 0), '1,000 [900, 1,101] min-max of 3')
  assert.equal(interval({ median: 0.735, lo: 0.735, hi: 0.735, n: 1, method: 'none' }, 3), '0.735 (1 trial: no interval)')
})

test('max/min: a ratio, unbounded when some listener got none, "-" when none got any', () => {
  assert.equal(maxMin(1.5, 0), '1.50')
  assert.equal(maxMin(null, 2), 'unbounded')
  assert.equal(maxMin(null, 0), '-')
  assert.equal(fairnessText({ jain: 0.5, maxMinRatio: null, cov: 1, busiestShare: 1, idle: 1 }), 'jain 0.500, max/min unbounded (1 got none), cov 1.000, busiest 100.0%')
})

test('the load generator line gives the bottleneck verdict, and the saturation flag only for results without one', () => {
  assert.equal(loadGeneratorText({ loadGenerator: { coreShare: 0.95, saturated: true }, bottleneck: { kind: 'unclear', listenerShare: 0.94, listenerCapacity: 1 } }), '95% of one core; listeners 94% of 1 core: unclear')
  assert.equal(loadGeneratorText({ loadGenerator: { coreShare: 0.95, saturated: true } }), '95% of one core - saturated: the client limited throughput')
  assert.equal(loadGeneratorText({ loadGenerator: { coreShare: 0.6, saturated: false }, bottleneck: { kind: 'client-bound', clientLoopBusy: 0.97, listenerShare: 0.6, listenerCapacity: 2 } }), '60% of one core, its busiest event loop 97% busy; listeners 60% of 2 cores: client-bound')
  assert.equal(loadGeneratorText({ loadGenerator: { coreShare: 0.4, saturated: false } }), '40% of one core')
})
