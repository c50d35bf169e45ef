// Where a run stopped, in words (analyse/stopVerdict.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { moreText, standingText, stopSentence } from '../../src/analyse/stopVerdict.js'
import type { PairPrecision, PrecisionStop } from '../../src/types/docs.js'

const pair = (halfWidth: number | null, precise: boolean, roundsNeeded: number | null = 40): PairPrecision =>
  ({ mode: 'cluster', against: 'shared', workers: 4, connections: 50, ratio: 0.83, rounds: 30, halfWidth, p99HalfWidth: 0.1, roundsNeeded, precise })
const stop = (over: Partial<PrecisionStop>): PrecisionStop =>
  ({ workers: 4, connections: 50, reason: 'resolved', rounds: 30, seconds: 114, roundSec: 3.8, precision: 0.05, pairs: [pair(0.031, true)], ...over })

test('each pair with its ratio and half-width', () => {
  assert.equal(standingText([pair(0.064, false), { ...pair(null, false), mode: 'reuseport' }]), 'cluster/shared 0.83x ±6.4%, reuseport/shared 0.83x no interval yet')
})

test('more rounds: said only when some are needed', () => {
  assert.equal(moreText({ rounds: 10, seconds: 38 }, 0.05), 'about 10 more rounds (38 s) would reach ±5%')
  assert.equal(moreText({ rounds: 0, seconds: 0 }, 0.05), '')
  assert.equal(moreText(null, 0.05), '')
})

test('a stop says why, after how long, and what more would take', () => {
  assert.equal(stopSentence(stop({})), "4 workers, 50 connections - every pair's req/s ratio resolved to ±3.1% after 30 rounds (1 min 54 s) (asked: ±5.0%): cluster/shared 0.83x ±3.1%.")
  const budget = stopSentence(stop({ reason: 'budget', pairs: [pair(0.064, false, 40), { ...pair(0.02, true), mode: 'reuseport' }] }))
  assert.match(budget, /budget \(--max-time\) spent after 30 rounds \(1 min 54 s\): cluster\/shared 0.83x ±6.4%; about 10 more rounds \(38 s\) would reach ±5%\.$/)
  assert.doesNotMatch(budget, /reuseport/, 'only the pairs not yet resolved')
  assert.match(stopSentence(stop({ reason: 'interrupted', pairs: [pair(0.08, false, null)] })), /interrupted after 30 rounds \(1 min 54 s\): cluster\/shared 0.83x ±8.0%\.$/)
  assert.match(stopSentence(stop({ reason: 'budget', precision: null })), /budget spent after 30 rounds/)
})
