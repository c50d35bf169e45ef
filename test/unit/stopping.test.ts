// When one configuration's rounds stop (engine/stopping.ts), on synthetic slices: the planned rounds, a
// precision reached, a budget spent, and the reruns of rounds whose host changed.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { afterRound, roundsFor, stillNeeded, stopOf } from '../../src/engine/stopping.js'
import { DEFAULT_PLAN } from '../../src/plan/validate.js'
import { makeRun } from '../fixtures.js'
import type { RunPlan } from '../../src/types/plan.js'
import type { ModeRun } from '../../src/types/run.js'

const plan = (over: Partial<RunPlan>): RunPlan => ({ ...DEFAULT_PLAN, modes: ['reuseport', 'shared'], trials: 1, durationSec: 2, sliceSec: 1, ...over })

/** Round `round`'s two slices, reuseport at `ratio` times shared. */
function roundOf (round: number, ratio: number): ModeRun[] {
  return [{ ...makeRun('reuseport', [5, 5], 10_000 * ratio), trial: round }, { ...makeRun('shared', [5, 5], 10_000), trial: round }]
}

/** Feeds rounds of these ratios until afterRound stops them; the reason and the rounds run. */
function drive (p: RunPlan, ratios: (round: number) => number, roundMs = 1000, endsAt = Infinity): { reason: string, rounds: number, runs: ModeRun[] } {
  const r = roundsFor(p, 0, endsAt)
  const runs: ModeRun[] = []
  for (let round = 1; round <= 1000; round++) {
    const mine = roundOf(round, ratios(round))
    runs.push(...mine)
    const next = afterRound(r, round, runs, mine, roundMs, round * roundMs)
    if (next !== 'go') return { reason: next, rounds: round, runs }
  }
  throw new Error('never stopped')
}

test('without a precision, the planned rounds run and stop', () => {
  assert.deepEqual(({ ...drive(plan({}), () => 1.1), runs: undefined }), { reason: 'rounds', rounds: 2, runs: undefined })
})

test('with a precision, a tight pair stops at the minimum, a loose one later, and a stop says where it stood', () => {
  const tight = drive(plan({ precision: 0.05 }), n => 1.1 + (n % 2 === 0 ? 0.01 : -0.01))
  assert.deepEqual([tight.reason, tight.rounds], ['resolved', 12])
  const loose = drive(plan({ precision: 0.05 }), n => 1.1 + (n % 2 === 0 ? 0.12 : -0.12))
  assert.equal(loose.reason, 'resolved')
  assert.ok(loose.rounds > 20, `a wider spread needs more rounds: ${loose.rounds}`)
})

test('a budget ends the rounds once the next would not fit, never before two, and says what is still needed', () => {
  const p = plan({ precision: 0.01 })
  const r = roundsFor(p, 0, 5_500)
  const runs: ModeRun[] = []
  let stop = ''
  let round = 0
  while (stop === '' || stop === 'go') {
    round++
    const mine = roundOf(round, 1.1 + (round % 2 === 0 ? 0.05 : -0.05))
    runs.push(...mine)
    stop = afterRound(r, round, runs, mine, 1000, round * 1000)
  }
  assert.deepEqual([stop, round], ['budget', 5])
  const more = stillNeeded(r)
  assert.ok(more !== null && more.rounds >= 1 && more.seconds === more.rounds, JSON.stringify(more))
  const s = stopOf(r, 2, 10, 'budget', round, 5_000)
  assert.deepEqual([s.reason, s.rounds, s.seconds, s.roundSec, s.precision, s.pairs.length], ['budget', 5, 5, 1, 0.01, 1])
  const early = roundsFor(p, 0, 0)
  assert.equal(afterRound(early, 1, roundOf(1, 1), roundOf(1, 1), 1000, 1000), 'go', 'the first two rounds always run')
})
