// Runs grouped into sweep cells, in a stable order, before the bootstrap.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sweepTasks } from '../../src/analyse/sweep.js'
import type { SweepRun } from '../../src/analyse/sweep.js'

const run = (mode: string, workers: number, connections: number, rps: number, jain: number | null): SweepRun =>
  ({ mode, workers, load: { connections }, client: { rps, latencyMs: { p99: 1 }, histogram: '' }, fairness: { jain }, requestFairness: { jain: 0.1 }, listeners: [{ accepts: rps }, { accepts: 1 }] })

test('one task per (mode, workers, connections) with its trials; ordered by mode, workers, connections', () => {
  const tasks = sweepTasks([run('shared', 2, 10, 5, 0.5), run('reuseport', 2, 10, 7, 0.9), run('shared', 1, 10, 3, 1), run('shared', 2, 10, 6, null)], 100, 9)
  assert.deepEqual(tasks.map(t => `${t.mode}/${t.workers}/${t.connections}`), ['reuseport/2/10', 'shared/1/10', 'shared/2/10'])
  const last = tasks[2]
  assert.deepEqual(last?.trials.map(t => t.rps), [5, 6])
  assert.deepEqual(last?.trials.map(t => t.jain), [0.5, 0], 'no accepts (jain undefined) counts as 0')
  assert.deepEqual(last?.trials.map(t => t.accepts), [[5, 1], [6, 1]], 'each trial keeps its accepts by listener, for the pooled placement test')
  assert.ok(tasks.every(t => t.resamples === 100 && t.seed === 9))
})

test('a UDP run: the spread of its datagrams; its flows against placement only where each stayed with one listener', () => {
  const udp = (splitFlows: number): SweepRun => ({ mode: 'shared', workers: 2, load: { connections: 4 }, client: { rps: 1, latencyMs: { p99: 1 }, histogram: '', udp: { splitFlows } }, fairness: { jain: 1 }, requestFairness: { jain: 0.7 }, listeners: [{ accepts: 4 }, { accepts: 4 }] })
  const [shared] = sweepTasks([udp(4), udp(4)], 100, 1)
  assert.deepEqual(shared?.trials.map(t => t.jain), [0.7, 0.7])
  assert.deepEqual(shared?.trials.map(t => t.accepts), [[], []], 'flows read by every process were not placed')
  const [hashed] = sweepTasks([udp(0)], 100, 1)
  assert.deepEqual(hashed?.trials.map(t => t.accepts), [[4, 4]])
})
