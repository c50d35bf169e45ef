import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { buildPlan, DEFAULT_PLAN, DEFAULT_PRECISION, parseModes } from '../../src/plan/validate.js'

test('defaults make a valid plan: with no length named, the default precision over at least 12 rounds', () => {
  assert.deepEqual(buildPlan({}), { ...DEFAULT_PLAN, ...DEFAULT_PRECISION, trials: 1, durationSec: 12 })
  assert.deepEqual(buildPlan({ trials: 3 }), DEFAULT_PLAN)
})

test('--precision and --max-time: shares and durations, refused with one line where they cannot apply', () => {
  const p = buildPlan({ precision: '2%', maxTimeSec: '10m', durationSec: 3 })
  assert.deepEqual([p.precision, p.maxTimeSec, p.durationSec, p.trials], [0.02, 600, 3, 3], 'a length named stays the least that runs')
  assert.equal(buildPlan({ precision: 0.1 }).maxTimeSec, 180, 'a precision alone gets the default budget')
  assert.equal(buildPlan({ precision: 'off' }).precision, null)
  assert.equal(buildPlan({ maxTimeSec: '90s', durationSec: 5 }).maxTimeSec, 90, 'a budget alone, for the planned rounds')
  assert.equal(buildPlan({ modes: 'reuseport' }).precision, null, 'one mode: nothing to pair')
  assert.throws(() => buildPlan({ precision: '5' }), /--precision must be from 0.1% to 50%/)
  assert.throws(() => buildPlan({ precision: 'tight' }), /--precision must be a share of the ratio such as 5% or 0.05, or off, got 'tight'/)
  assert.throws(() => buildPlan({ modes: 'reuseport', precision: '5%' }), /--precision applies only to modes side by side/)
  assert.throws(() => buildPlan({ maxTimeSec: '2s' }), /--max-time must be from 10 to 86400 seconds/)
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

test('modes keep their order; a mode named again is its next arm (A/A), an arm named twice is refused', () => {
  assert.deepEqual(parseModes('cluster,shared,cluster'), ['cluster', 'shared', 'cluster#2'])
  assert.deepEqual(parseModes('reuseport,reuseport,reuseport'), ['reuseport', 'reuseport#2', 'reuseport#3'])
  assert.deepEqual(parseModes('reuseport#2,reuseport'), ['reuseport#2', 'reuseport'])
  assert.throws(() => parseModes('shared#2,shared#2'), /names shared#2 twice/)
  assert.throws(() => parseModes('shared#1'), /unknown mode 'shared#1'/)
})

test('--interleave: rounds by default, cells for a timeline of its own; --slice only with rounds', () => {
  assert.equal(buildPlan({}).interleave, 'rounds')
  assert.equal(buildPlan({ modes: 'reuseport' }).interleave, 'cells', 'one mode: nothing side by side')
  assert.equal(buildPlan({ modes: 'reuseport', interleave: 'rounds' }).interleave, 'rounds')
  assert.equal(buildPlan({ sliceSec: '500ms' }).sliceSec, 0.5)
  assert.equal(buildPlan({ stall: '0:100:500' }).interleave, 'cells')
  assert.equal(buildPlan({ restart: true }).interleave, 'cells')
  assert.equal(buildPlan({ interleave: 'cells' }).interleave, 'cells')
  assert.throws(() => buildPlan({ interleave: 'rounds', restart: true }), /cannot run this plan: a rolling restart has a timeline of its own; use --interleave cells/)
  assert.throws(() => buildPlan({ interleave: 'cells', sliceSec: 1 }), /--slice applies only with --interleave rounds/)
  assert.throws(() => buildPlan({ interleave: 'side' }), /--interleave must be one of rounds, cells/)
  assert.throws(() => buildPlan({ sliceSec: '0.1' }), /--slice must be from 0.2/)
  assert.throws(() => buildPlan({ durationSec: 1000, sliceSec: '0.2', trials: 3 }), /that plan is 45000 slices/)
  assert.equal(buildPlan({}).unstable, 'leave-out')
  assert.equal(buildPlan({ unstable: 'rerun' }).unstable, 'rerun')
  assert.throws(() => buildPlan({ unstable: 'rerun', interleave: 'cells' }), /--unstable rerun applies only to modes side by side/)
  assert.throws(() => buildPlan({ unstable: 'sometimes' }), /--unstable must be one of leave-out, keep, rerun, got 'sometimes'/)
})

test('--rate without --driver takes the paced driver; --driver paced needs a rate', () => {
  assert.equal(buildPlan({ rate: '100' }).driver, 'paced')
  assert.equal(buildPlan({}).driver, 'autocannon')
  assert.equal(buildPlan({ rate: '100', driver: 'autocannon' }).driver, 'autocannon', 'asked for by name')
  assert.throws(() => buildPlan({ driver: 'paced' }), /--driver paced needs --rate/)
})

test('a rate with a unit is the rate it says and takes the paced driver too (-R 2k was autocannon at 860 req/s)', () => {
  for (const [text, rate] of [['2k', 2000], ['2.5k', 2500], ['2000', 2000], ['1M', 1_000_000]] as const) {
    const p = buildPlan({ rate: text })
    assert.equal(p.rate, rate, text)
    assert.equal(p.driver, 'paced', text)
  }
  assert.equal(buildPlan({ rate: 2000 }).driver, 'paced', 'a number from the API')
  assert.equal(buildPlan({ rate: '0' }).driver, 'autocannon')
})

test('every option with a unit reads it through the one parser, from the CLI and the API alike', () => {
  const cases: Array<[keyof Parameters<typeof buildPlan>[0], string | number, (p: ReturnType<typeof buildPlan>) => unknown, unknown]> = [
    ['durationSec', '500ms', p => p.durationSec, 0.5],
    ['durationSec', '2m', p => p.durationSec, 120],
    ['durationSec', 3, p => p.durationSec, 3],
    ['warmupSec', '1500ms', p => p.warmupSec, 1.5],
    ['pauseSec', '0.25', p => p.pauseSec, 0.25],
    ['connections', '1k', p => p.connections, 1000],
    ['workers', '2', p => p.workers, 2],
    ['backlog', '4k', p => p.backlog, 4000],
    ['churn', '1', p => p.churn, 1],
    ['port', '8k', p => p.port, 8000],
    ['workUs', '1k', p => p.workUs, 1000],
    ['queueSampleMs', '100', p => p.queueSampleMs, 100]
  ]
  for (const [key, text, pick, want] of cases) assert.equal(pick(buildPlan({ [key]: text })), want, `${String(key)} ${text}`)
  for (const [key, text] of [['durationSec', '2d'], ['connections', '1e3'], ['rate', '2kk'], ['rate', '2 k/s'], ['warmupSec', '1x']] as const) {
    assert.throws(() => buildPlan({ [key]: text }), (e: unknown) => e instanceof UsageError && e.exitCode === 2, `${key} ${text}`)
  }
})
