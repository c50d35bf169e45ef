// The verdict of a grid: per configuration, differences from paired trials only where their interval excludes none, an order from ranges only for results without pairs (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pooledPlacementTest } from '../../src/analyse/placement.js'
import { pairedComparisons } from '../../src/analyse/paired.js'
import { pairedText, sweepVerdict } from '../../src/analyse/sweepVerdict.js'
import type { Estimate, SweepCell } from '../../src/types/docs.js'

const est = (median: number, lo: number, hi: number, n = 3): Estimate => ({ median, lo, hi, n, method: n < 2 ? 'none' : 'min-max' })
const cell = (mode: string, workers: number, rps: Estimate, trials: number[][]): SweepCell =>
  ({ mode, workers, connections: 50, trials: rps.n, rps, p99Ms: est(5, 4, 6, rps.n), jain: est(0.9, 0.8, 0.95, rps.n), pooledP99Ms: 5, placement: pooledPlacementTest(trials) })

const even = [[13, 12, 12, 13], [14, 11, 12, 13], [12, 13, 13, 12]]
const skewed = [[40, 5, 5, 0], [2, 44, 2, 2], [30, 10, 10, 0]]

test('without pairs (older results), an order is claimed only where the ranges do not overlap; configurations stay apart', () => {
  const v = sweepVerdict([
    cell('reuseport', 4, est(50000, 48000, 51000), even), cell('shared', 4, est(40000, 39000, 41000), skewed),
    cell('reuseport', 2, est(45000, 40000, 50000), even.map(t => [t[0] ?? 0, t[1] ?? 0])), cell('shared', 2, est(44000, 41000, 47000), even.map(t => [t[0] ?? 0, t[1] ?? 0]))
  ])
  assert.match(v[0] ?? '', /^4 workers, 50 connections - req\/s, median \[min-max of 3 trials\]: reuseport 50,000 \[48,000, 51,000\], shared 40,000 \[39,000, 41,000\]; reuseport is the fastest here/)
  assert.match(v[1] ?? '', /^4 workers, 50 connections - reuseport: its 3 trials taken together are more even than random placement/)
  assert.match(v[2] ?? '', /^4 workers, 50 connections - shared: its 3 trials taken together are more skewed than random hashing.* As published: Google/)
  assert.match(v[3] ?? '', /^2 workers, 50 connections - .*the ranges overlap, so there is no measurable difference in throughput between reuseport and shared at 3 trials/)
})

test('one trial per cell: no order is claimed; the host limit is named', () => {
  const v = sweepVerdict([cell('reuseport', 4, est(50000, 50000, 50000, 1), [[13, 12, 12, 13]]), cell('shared', 4, est(40000, 40000, 40000, 1), [[40, 5, 5, 0]])], { cpus: 2 })
  assert.match(v[0] ?? '', /one trial each gives no interval, so no order between modes is claimed/)
  assert.match(v[1] ?? '', /Jain's index 0\.900 \[0\.800, 0\.950\] \(1 trial, no interval\)/)
  assert.ok(v.some(s => /This host has 2 CPUs: up to 4 listener processes/.test(s)))
})

test('with pairs: a difference is stated only where the paired interval excludes 1, else how many trials would resolve it', () => {
  const runs = [1, 2, 3].flatMap(trial => [
    { mode: 'shared', workers: 4, connections: 50, trial, rps: 40000 * trial, p99Ms: 5 },
    { mode: 'reuseport', workers: 4, connections: 50, trial, rps: 30000 * trial, p99Ms: [4.8, 5.3, 5.0][trial - 1] ?? 5 },
    { mode: 'cluster', workers: 4, connections: 50, trial, rps: 40000 * trial * [0.98, 1.03, 1.0][trial - 1]!, p99Ms: 5 }
  ])
  const cells = [cell('shared', 4, est(80000, 40000, 120000), skewed), cell('reuseport', 4, est(60000, 30000, 90000), even), cell('cluster', 4, est(80000, 39200, 120000), even)]
  const v = sweepVerdict(cells, undefined, pairedComparisons(runs, 'shared'))
  // Unpaired, the min-max ranges overlap completely (drift between trials); paired, reuseport is clearly slower.
  assert.match(v[1] ?? '', /^4 workers, 50 connections - reuseport against shared over 3 paired trials \(95% interval\): req\/s 0\.75x \[0\.75, 0\.75\], slower; client p99 1\.0[0-9]x \[0\.[0-9]+, 1\.[0-9]+\], no measurable difference \(--trials \d+ would resolve a [0-9.]+% difference at this spread\)/)
  assert.match(v[2] ?? '', /^4 workers, 50 connections - cluster against shared .*req\/s 1\.00x \[0\.9[0-9], 1\.0[0-9]\], no measurable difference/)
  assert.match(v[3] ?? '', /cluster against reuseport .*req\/s 1\.3[0-9]x \[1\.[0-9]+, 1\.[0-9]+\], faster/)
  assert.ok(!v.some(s => /is the fastest here/.test(s)), 'no order from overlapping ranges when pairs say more')
})

test('a spread that cannot be told from random hashing says how many connections would', () => {
  const v = sweepVerdict([cell('reuseport', 3, est(50000, 48000, 51000), [[15, 6, 9]])])
  assert.match(v[1] ?? '', /its trial is consistent with random hashing .*if the spread held as seen, roughly \d+ connections per trial would tell it apart/)
})

test('a pair where the client bound a mode does not rank req/s', () => {
  const runs = [1, 2, 3].flatMap(trial => [
    { mode: 'shared', workers: 4, connections: 50, trial, rps: 40000, p99Ms: 5 },
    { mode: 'cluster', workers: 4, connections: 50, trial, rps: 20000, p99Ms: 5 }
  ])
  const cells = [cell('shared', 4, est(40000, 40000, 40000), skewed), cell('cluster', 4, est(20000, 20000, 20000), even)]
  const v = sweepVerdict(cells, undefined, pairedComparisons(runs, 'shared'), mode => mode === 'cluster')
  assert.match(v[1] ?? '', /cluster against shared over 3 paired trials \(95% interval\): req\/s not ranked \(the client bound cluster\); client p99/)
})

test('a paired ratio of 1.00 with no difference to resolve says so plainly', () => {
  assert.equal(pairedText({ ratio: 1.0002, lo: 0.92, hi: 1.08, pairs: [0.95, 1.0, 1.05], finding: 'no measurable difference', trialsToResolve: null }, { higher: 'faster', lower: 'slower' }),
    '1.00x [0.92, 1.08], no measurable difference (a difference of under 0.1% would take more than 1,000 paired trials at this spread: none of practical size)')
})
