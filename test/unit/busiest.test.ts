// The busiest listeners' share (analyse/busiest.ts): per trial, against random placement
// (a seeded simulation checked against its own known cases), and Node's SCHED_NONE claim set against it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { busiestShare, busiestClaimClause, randomTopShare, topShare } from '../../src/analyse/busiest.js'
import { rng } from '../../src/random.js'

test('the top two of a trial\'s accepts, as a share; none without connections', () => {
  assert.equal(topShare([10, 40, 30, 20], 2), 0.7)
  assert.equal(topShare([0, 0, 0], 2), null)
  assert.equal(topShare([5, 5, 5, 5, 5, 5, 5, 5], 2), 0.25)
})

test('random placement: two of eight listeners hold about a third of 200 connections, never the 70% Node names; the range narrows with more connections', () => {
  const [lo, hi] = randomTopShare(200, 8, 2, 1)
  assert.ok(lo > 0.25 && lo < 0.33 && hi > 0.33 && hi < 0.45, `${lo}..${hi}`)
  const [lo2, hi2] = randomTopShare(20_000, 8, 2, 1)
  assert.ok(hi2 - lo2 < (hi - lo) / 3 && lo2 > 0.25, `${lo2}..${hi2}`)
  assert.deepEqual(randomTopShare(200, 8, 2, 7), randomTopShare(200, 8, 2, 7), 'seeded')
})

/** Trials of `n` connections on 8 listeners, where the first two take `skew` of them and the rest spread at random. */
function trials (count: number, n: number, skew: number, seed: number): number[][] {
  const next = rng(seed)
  return Array.from({ length: count }, () => {
    const c = new Array<number>(8).fill(0)
    for (let i = 0; i < n; i++) { const j = next() < skew ? Math.floor(next() * 2) : 2 + Math.floor(next() * 6); c[j] = (c[j] ?? 0) + 1 }
    return c
  })
}

test('Node\'s claim: confirmed where the interval lies above 70%, contradicted below, neither when it straddles; other worker counts are told it is of eight', () => {
  const skewed = busiestShare(trials(12, 200, 0.8, 1))
  const even = busiestShare(trials(12, 200, 0.25, 2))
  const near = busiestShare(trials(3, 200, 0.7, 3))
  assert.ok(skewed !== undefined && even !== undefined && near !== undefined)
  assert.equal(skewed.share.method, 'bootstrap')
  assert.match(busiestClaimClause({ mode: 'cluster-os', workers: 8, busiest: skewed }, 'round'), /^ As Node's docs say of SCHED_NONE: "over 70% .* eight": the busiest two of 8 took 8\d% of each round's 200 connections \(\[\d+%, \d+%\], 95% bootstrap interval of 12 rounds; uniform random placement gives \d+% to \d+%\)\.$/)
  assert.match(busiestClaimClause({ mode: 'cluster-os', workers: 8, busiest: even }, 'round'), /^ Unlike what Node's docs say .*: here the busiest two of 8 took [23]\d%/)
  assert.match(busiestClaimClause({ mode: 'cluster-os', workers: 8, busiest: near }, 'trial'), /min-max of 3 trials.*which can neither confirm nor rule that out\.$/)
  const four = busiestShare(trials(4, 100, 0.5, 4).map(t => t.slice(0, 4)))
  assert.match(busiestClaimClause({ mode: 'cluster-os', workers: 4, busiest: four }, 'trial'), /that is of 8 workers, and here the busiest two of 4 took/)
  assert.equal(busiestClaimClause({ mode: 'cluster', workers: 8, busiest: skewed }, 'round'), '', 'only cluster-os is what the claim is about')
  assert.equal(busiestShare([[3, 4]]), undefined, 'two listeners: the busiest two are all of them')
})
