import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '../src/errors.js'
import { buildPlan, DEFAULT_PLAN, parseModes } from '../src/plan/validate.js'

test('defaults make a valid plan', () => {
  assert.deepEqual(buildPlan({}), DEFAULT_PLAN)
})

test('strings from the command line become numbers', () => {
  const p = buildPlan({ workers: '8', connections: '100', durationSec: '2.5', port: '8080', modes: 'single,reuseport' })
  assert.equal(p.workers, 8)
  assert.equal(p.durationSec, 2.5)
  assert.equal(p.port, 8080)
  assert.deepEqual(p.modes, ['single', 'reuseport'])
})

const bad: Array<[string, Record<string, unknown>, RegExp]> = [
  ['zero workers', { workers: '0' }, /--workers must be an integer from 1/],
  ['non-number', { connections: 'lots' }, /--connections must be a number/],
  ['fractional workers', { workers: '1.5' }, /--workers must be an integer/],
  ['port too high', { port: '65536' }, /--port must be an integer from 0 to 65535/],
  ['negative churn', { churn: '-1' }, /--churn must be an integer from 0/],
  ['zero duration', { durationSec: '0' }, /--duration must be from 0.1/],
  ['unknown mode', { modes: 'reuseport,magic' }, /unknown mode 'magic'/],
  ['empty modes', { modes: ',' }, /--modes (needs at least one|has an empty item)/]
]
for (const [name, raw, re] of bad) {
  test(`rejects ${name}`, () => {
    assert.throws(() => buildPlan(raw), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && re.test(e.message))
  })
}

test('modes are de-duplicated and keep their order', () => {
  assert.deepEqual(parseModes('cluster,shared,cluster'), ['cluster', 'shared'])
})

test('--rate without --driver takes the paced driver; --driver paced needs a rate', () => {
  assert.equal(buildPlan({ rate: '100' }).driver, 'paced')
  assert.equal(buildPlan({}).driver, 'autocannon')
  assert.equal(buildPlan({ rate: '100', driver: 'autocannon' }).driver, 'autocannon', 'asked for by name')
  assert.throws(() => buildPlan({ driver: 'paced' }), /--driver paced needs --rate/)
})
