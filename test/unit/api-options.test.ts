// The API's options (api/options.ts), read through the one options table (plan/options.ts): each option
// checked as JavaScript, named as the caller wrote it; the plan the same as the flags give.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { planFromOptions } from '../../src/api/options.js'
import type { RunOptions } from '../../src/api/options.js'
import { planFromArgs } from '../../src/plan/options.js'
import { UsageError } from '../../src/errors.js'

const refused = (o: unknown, message: RegExp): void => {
  assert.throws(() => planFromOptions(o as RunOptions), (e: unknown) => e instanceof UsageError && message.test(e.message), String(message))
}

test('the API and the flags make the same plan', () => {
  const api = planFromOptions({ modes: ['reuseport', 'shared'], workers: [2, 4], connections: 8, durationSec: '500ms', warmupSec: 0, rate: 100, stall: { index: 0, forMs: 50, everyMs: 500 }, target: null, clientCpus: 'all' })
  const cli = planFromArgs({ modes: 'reuseport,shared', workers: '2,4', connections: '8', duration: '500ms', warmup: '0', rate: '100', stall: '0:50:500', 'client-cpus': 'all' })
  assert.deepEqual(api, cli)
})

test('a value of the wrong kind is named as the option, with what it takes', () => {
  refused({ workers: 'four' }, /^options\.workers must be a number or an array of integers, got 'four'$/)
  refused({ modes: ['reuseport', 'nope'] }, /^options\.modes\[1\]: 'nope' is not a mode; modes are reuseport, /)
  refused({ stall: { index: 0 } }, /^options\.stall must be \{ index, forMs, everyMs \}/)
  refused({ instrument: 'yes' }, /^options\.instrument must be true or false/)
})

test('an unknown option lists the options; a hook among them says where it goes', () => {
  refused({ wrokers: 4 }, /^options\.wrokers is not an option of run; options are (\w+, )+/)
  refused({ out: 'reports' }, /^options\.out is not a run option but a hook: run\(options, \{ out \}\)$/)
})

test("the plan's own refusals name the option, not the flag", () => {
  refused({ durationSec: -1 }, /options\.durationSec/)
})
