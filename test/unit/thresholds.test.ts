// --fail-if: which runs cross which thresholds.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkThresholds } from '../../src/analyse/thresholds.js'
import type { ThresholdRun } from '../../src/analyse/thresholds.js'
import { parseThreshold } from '../../src/plan/threshold.js'

const run = (mode: string, jain: number | null, p99: number, rps: number, errors = 0, trial = 1): ThresholdRun =>
  ({ mode, workers: 4, connections: 50, trial, rps, errors, p50Ms: p99 / 4, p99Ms: p99, jain, busiestShare: jain === null ? null : 1 - jain / 2 })

test('a crossing is one line naming the run and its value; equal values do not cross', () => {
  const runs = [run('reuseport', 0.95, 10, 20000), run('shared', 0.5, 30, 21000, 0, 2)]
  const out = checkThresholds(['jain<0.9', 'p99>10ms', 'rps<20000'].map(parseThreshold), runs)
  assert.deepEqual(out, [
    'jain<0.9: shared (4 workers, 50 connections, trial 2) has jain 0.500',
    'p99>10ms: shared (4 workers, 50 connections, trial 2) has p99 30'
  ])
})

test('errors (with timeouts) count; busiest takes a percentage; an undefined value (no accepts) crosses nothing', () => {
  const r = run('cluster', null, 5, 100, 3) // errors and timeouts together
  assert.deepEqual(checkThresholds([parseThreshold('errors>2')], [r]), ['errors>2: cluster (4 workers, 50 connections) has errors 3'])
  assert.deepEqual(checkThresholds([parseThreshold('jain<0.99'), parseThreshold('busiest>10%')], [r]), [])
  assert.equal(checkThresholds([parseThreshold('busiest>50%')], [run('shared', 0.6, 1, 1)]).length, 1)
})

test('threshold values with units: latencies in us, ms or s; rates and counts with k or M', () => {
  assert.deepEqual(['p99>1s', 'p99>50ms', 'p50<250us', 'rps<5k', 'rps<1.5M'].map(t => parseThreshold(t).value), [1000, 50, 0.25, 5000, 1500000])
  assert.throws(() => parseThreshold('p99>50'), /p99 takes a latency with its unit/)
  assert.throws(() => parseThreshold('jain<1k'), /jain takes from 0 to 1/)
})
