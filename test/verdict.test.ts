import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compareToBaseline } from '../src/analyse/compare.js'
import { fairness } from '../src/analyse/fairness.js'
import { verdict } from '../src/analyse/verdict.js'
import type { VerdictRun } from '../src/analyse/verdict.js'

const run = (mode: string, accepts: number[], rps: number, p99Ms: number, saturated = false): VerdictRun =>
  ({ mode, workers: accepts.length, rps, p99Ms, fairness: fairness(accepts), accepts: accepts.reduce((a, b) => a + b, 0), churn: 0, saturated })

test('names the fairest mode and its cost against the shared baseline', () => {
  const runs = [run('reuseport', [12, 13, 12, 13], 9000, 6), run('shared', [10, 1, 0, 39], 10000, 4)]
  const cmp = compareToBaseline(runs.map(r => ({ mode: r.mode, workers: r.workers, rps: r.rps, p99Ms: r.p99Ms, jain: r.fairness.jain })))
  const v = verdict(runs, cmp)
  assert.match(v[0] ?? '', /^reuseport spread connections most evenly over its 4 processes/)
  assert.match(v[1] ?? '', /0\.90x the requests\/s at 1\.50x the client p99/)
  assert.match(v[2] ?? '', /Least even: shared .*busiest process took 78%, 1 process got none/)
})

test('says when the load generator was the bottleneck', () => {
  const v = verdict([run('reuseport', [5, 5], 1, 1, true), run('shared', [5, 5], 1, 1)], [])
  assert.ok(v.some(s => /90% or more of a CPU core in reuseport/.test(s)))
})

test('single process only: nothing to spread', () => {
  assert.match(verdict([run('single', [50], 1, 1)], [])[0] ?? '', /nothing to spread/)
})
