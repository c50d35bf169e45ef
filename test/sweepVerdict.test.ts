// The verdict of a grid: per configuration, an order only where intervals do not overlap (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pooledPlacementTest } from '../src/analyse/placement.js'
import { sweepVerdict } from '../src/analyse/sweepVerdict.js'
import type { Estimate, SweepCell } from '../src/types/docs.js'

const est = (median: number, lo: number, hi: number, n = 3): Estimate => ({ median, lo, hi, n, method: n < 2 ? 'none' : 'min-max' })
const cell = (mode: string, workers: number, rps: Estimate, trials: number[][]): SweepCell =>
  ({ mode, workers, connections: 50, trials: rps.n, rps, p99Ms: est(5, 4, 6, rps.n), jain: est(0.9, 0.8, 0.95, rps.n), pooledP99Ms: 5, placement: pooledPlacementTest(trials) })

const even = [[13, 12, 12, 13], [14, 11, 12, 13], [12, 13, 13, 12]]
const skewed = [[40, 5, 5, 0], [2, 44, 2, 2], [30, 10, 10, 0]]

test('an order is claimed only where the ranges do not overlap; configurations stay apart', () => {
  const v = sweepVerdict([
    cell('reuseport', 4, est(50000, 48000, 51000), even), cell('shared', 4, est(40000, 39000, 41000), skewed),
    cell('reuseport', 2, est(45000, 40000, 50000), even.map(t => [t[0] ?? 0, t[1] ?? 0])), cell('shared', 2, est(44000, 41000, 47000), even.map(t => [t[0] ?? 0, t[1] ?? 0]))
  ])
  assert.match(v[0] ?? '', /^4 workers, 50 connections - req\/s reuseport 50,000 \[48,000, 51,000\], shared 40,000 \[39,000, 41,000\]: reuseport is the fastest here/)
  assert.match(v[1] ?? '', /^4 workers, 50 connections - reuseport: its 3 trials taken together are more even than random placement/)
  assert.match(v[2] ?? '', /^4 workers, 50 connections - shared: its 3 trials taken together are more skewed than random hashing/)
  assert.match(v[3] ?? '', /^2 workers, 50 connections - .*the ranges overlap, so there is no measurable difference in throughput between reuseport and shared at 3 trials/)
})

test('one trial per cell: no order is claimed; the host limit is named', () => {
  const v = sweepVerdict([cell('reuseport', 4, est(50000, 50000, 50000, 1), [[13, 12, 12, 13]]), cell('shared', 4, est(40000, 40000, 40000, 1), [[40, 5, 5, 0]])], { cpus: 2 })
  assert.match(v[0] ?? '', /one trial each gives no interval, so no order between modes is claimed/)
  assert.match(v[1] ?? '', /Jain's index 0\.900 \[0\.800, 0\.950\] \(1 trial, no interval\)/)
  assert.ok(v.some(s => /This host has 2 CPUs: up to 4 listener processes/.test(s)))
})
