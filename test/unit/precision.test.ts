// The precision rule (analyse/precision.ts): widths, the rounds a precision needs, when a run may stop.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { halfWidth, halfWidthAt, logSpread, MIN_ROUNDS, preciseEnough, precisionOf, resolved, roundsForPrecision, roundsMore, stoppingWidth, stoppingWidthAt } from '../../src/analyse/precision.js'
import { pairedRatio } from '../../src/analyse/paired.js'
import type { PairedComparison } from '../../src/types/docs.js'

test('the half-width is relative to the ratio, the larger side of a log interval', () => {
  assert.equal(halfWidth({ ratio: 1, lo: 0.9, hi: 1.2, pairs: [], finding: 'no measurable difference', trialsToResolve: null }), 0.19999999999999996)
  assert.equal(halfWidth({ ratio: 2, lo: null, hi: null, pairs: [2], finding: 'no interval', trialsToResolve: null }), null)
  const p = pairedRatio([1.1, 0.9, 1.05, 0.97, 1.02])
  const h = halfWidth(p) ?? NaN
  assert.ok(Math.abs(h - halfWidthAt(5, logSpread(p.pairs) ?? NaN)) < 1e-3, 'the same width the t interval gives')
})

test('rounds for a precision: the fewest pairs at which the stopping rule\'s own width reaches it at the spread seen', () => {
  const n = roundsForPrecision(0.1, 0.05) ?? 0
  assert.ok(stoppingWidthAt(n, 0.1) <= 0.05 && stoppingWidthAt(n - 1, 0.1) > 0.05, `${n} is the fewest`)
  assert.ok(halfWidthAt(n, 0.1) < 0.05, 'the plain interval is narrower by then')
  assert.ok(n > 25 && n < 35, String(n))
  assert.equal(roundsForPrecision(null, 0.05), null)
  assert.equal(roundsForPrecision(3, 0.001), null, 'past the most worth suggesting')
  assert.equal(roundsForPrecision(0, 0.05), MIN_ROUNDS, 'no spread still needs the minimum')
  assert.equal(roundsForPrecision(0.001, 0.05), MIN_ROUNDS)
})

test('a pair not yet precise always needs at least one more round, even where the plain interval is already narrow enough', () => {
  // 14 pairs whose plain interval is inside 5% but whose stopping width is not.
  const ratios = Array.from({ length: 14 }, (_x, i) => 1 + (i % 2 === 0 ? 0.07 : -0.07))
  const [p] = precisionOf([{ mode: 'a', against: 'b', workers: 4, connections: 50, throughput: pairedRatio(ratios), p99: pairedRatio(ratios) }], 0.05)
  assert.ok(p !== undefined && (p.halfWidth ?? 1) <= 0.05 && !p.precise, JSON.stringify(p))
  assert.ok((roundsMore([p]) ?? 0) >= 1)
})

test('the stopping width allows for the spread\'s own uncertainty: wider than the interval, and never stops before MIN_ROUNDS', () => {
  const ratios = [1.05, 0.96, 1.02, 0.99, 1.01, 0.98, 1.03, 0.97, 1.0, 1.01, 0.99, 1.02, 0.98, 1.0]
  const plain = halfWidth(pairedRatio(ratios)) ?? NaN
  const stop = stoppingWidth(ratios) ?? NaN
  assert.ok(stop > plain, `${stop} > ${plain}`)
  assert.equal(preciseEnough(ratios, 0.05), true)
  assert.equal(preciseEnough(ratios.slice(0, MIN_ROUNDS - 1), 0.5), false, 'too few rounds, however narrow')
  assert.equal(preciseEnough(ratios, plain), false, 'at exactly the plain width, not yet')
})

test('every pair must be precise; how many more rounds the least resolved needs', () => {
  const pair = (ratios: number[]): PairedComparison => ({ mode: 'a', against: 'b', workers: 4, connections: 50, throughput: pairedRatio(ratios), p99: pairedRatio(ratios) })
  const tight = Array.from({ length: 14 }, (_x, i) => 1 + (i % 2 === 0 ? 0.01 : -0.01))
  const loose = Array.from({ length: 14 }, (_x, i) => 1 + (i % 2 === 0 ? 0.2 : -0.2))
  const s = precisionOf([pair(tight), pair(loose)], 0.05)
  assert.deepEqual(s.map(p => p.precise), [true, false])
  assert.equal(resolved(s), false)
  assert.equal(resolved([]), false, 'no pair yet is not resolved')
  assert.equal(resolved(precisionOf([pair(tight)], 0.05)), true)
  const more = roundsMore(s) ?? 0
  assert.ok(more > 50, `the loose pair needs many more: ${more}`)
  assert.equal(roundsMore(precisionOf([pair([1.1])], 0.05)), null, 'one pair: no spread, unknown')
})
