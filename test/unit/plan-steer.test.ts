// --steer as the plan takes it (plan/steer.ts, through buildPlan): one policy, one per arm, the errors, and
// which plans may run side by side. Pure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { parseSteer, policiesOf, steerOf, steerText } from '../../src/plan/steer.js'
import { buildPlan, cellsOnly } from '../../src/plan/validate.js'

test('one policy steers every arm that can take a program; per-arm items steer only those arms', () => {
  assert.deepEqual(parseSteer('least-loaded', ['reuseport', 'shared']), { steer: 'least-loaded', steerArms: {} })
  const p = parseSteer('reuseport#2=least-loaded,reuseport#3=two-choices', ['reuseport', 'reuseport#2', 'reuseport#3', 'shared'])
  assert.deepEqual(p, { steer: 'none', steerArms: { 'reuseport#2': 'least-loaded', 'reuseport#3': 'two-choices' } })
  const plan = { ...p, modes: ['reuseport', 'reuseport#2', 'reuseport#3', 'shared'] }
  assert.deepEqual(plan.modes.map(m => steerOf(plan, m)), ['none', 'least-loaded', 'two-choices', 'none'], 'shared takes no program')
  assert.deepEqual(policiesOf(plan), ['none', 'least-loaded', 'two-choices'])
  assert.equal(steerText(plan), 'reuseport#2=least-loaded,reuseport#3=two-choices')
  assert.equal(steerText({ steer: 'hash', steerArms: {} }), 'hash')
})

test('bad --steer values are one-line usage errors naming what is wrong', () => {
  const bad: Array<[string, RegExp]> = [
    ['fastest', /--steer must be one of none, cpu, first, hash, two-choices, least-loaded/],
    ['hash,least-loaded', /more than one policy for every arm/],
    ['reuseport#2=least-loaded', /names reuseport#2, which is not among --modes/],
    ['shared=least-loaded', /steering applies to/],
    ['reuseport=hash,reuseport=least-loaded', /names reuseport twice/],
    ['reuseport=nope', /--steer must be one of/]
  ]
  for (const [v, re] of bad) assert.throws(() => parseSteer(v, ['reuseport', 'shared']), (e: unknown) => e instanceof UsageError && re.test(e.message), v)
})

test('through buildPlan: per-arm steering is kept, --dump-steering needs an eBPF policy, and only classic BPF forces cells', () => {
  const plan = buildPlan({ modes: 'reuseport,reuseport', steer: 'reuseport#2=least-loaded', dumpSteering: true })
  assert.deepEqual(plan.steerArms, { 'reuseport#2': 'least-loaded' })
  assert.equal(plan.dumpSteering, true)
  assert.equal(plan.interleave, 'rounds', 'an eBPF program does not keep modes from running side by side')
  assert.equal(cellsOnly(buildPlan({ modes: 'reuseport,shared', steer: 'cpu' })), "classic BPF steering is checked as each cell's listeners stop")
  assert.throws(() => buildPlan({ modes: 'reuseport', steer: 'cpu', dumpSteering: true }), /--dump-steering applies only with an eBPF policy/)
  assert.equal(buildPlan({ modes: 'reuseport' }).steerArms, undefined, 'a plan without per-arm steering records none')
})
