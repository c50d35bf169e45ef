// The rules' false-difference rate on simulated hosts (analyse/simulate.ts): A/A arms, every claimed difference false.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { falseDifferenceRate, simulateRun } from '../../src/analyse/simulate.js'

const base = { sliceSd: 0.08, rounds: 12, maxRounds: 200 }

test('a run is repeatable from its seed, and a precision run stops once its width allows', () => {
  const o = { ...base, host: 'quiet' as const, precision: 0.05, seed: 11 }
  assert.deepEqual(simulateRun(o), simulateRun(o))
  const r = simulateRun(o)
  assert.ok(r.halfWidth !== null && r.halfWidth <= 0.05 && r.rounds >= 12, JSON.stringify(r))
})

for (const host of ['quiet', 'steady', 'drifting', 'bursty'] as const) {
  test(`${host} host: the within-round rule and the stopping rule keep false differences near 5%`, () => {
    const r = falseDifferenceRate({ ...base, host, precision: 0.05 }, 500, 2)
    // 500 runs: a true 5% lands within about 3 to 7% (two standard errors); 9% would be a broken rule.
    assert.ok(r.rate >= 0.02 && r.rate <= 0.09, `${host}: ${r.claimed} of ${r.runs} claimed a difference`)
    assert.ok(r.resolved >= 490, `${host}: ${r.resolved} of 500 reached the precision within 200 rounds`)
  })
}

test('a bursty host leaves rounds out: fewer kept than run', () => {
  const r = simulateRun({ ...base, host: 'bursty', precision: null, rounds: 60, seed: 5 })
  assert.ok(r.kept < r.rounds, JSON.stringify(r))
  const q = simulateRun({ ...base, host: 'steady', precision: null, rounds: 60, seed: 5 })
  assert.ok(q.kept >= 58, `a steady 46% keeps (almost) every round: ${JSON.stringify(q)}`)
})
