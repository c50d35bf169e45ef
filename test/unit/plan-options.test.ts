// The table of run's options: yargs options, help defaults, scenarios as partial plans (pure).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { LISTENER_KINDS } from '../../src/topology/kinds/index.js'
import { test } from 'node:test'
import { planFromArgs, RUN_OPTIONS, runOptionGroups, runYargsOptions, SCENARIOS } from '../../src/plan/options.js'
import { DEFAULT_PLAN, DEFAULT_PRECISION } from '../../src/plan/validate.js'

test('every plan field a flag sets is in the table once, and yargs gets no default for it', () => {
  const keys = RUN_OPTIONS.flatMap(o => o.key === undefined ? [] : [o.key])
  assert.equal(new Set(keys).size, keys.length)
  const y = runYargsOptions()
  for (const o of RUN_OPTIONS) {
    assert.ok(y[o.flag] !== undefined, o.flag)
    if (o.key !== undefined) assert.equal(y[o.flag]?.default, undefined, `--${o.flag} has no yargs default`)
  }
  assert.match(y.workers?.description ?? '', /\[counts\] \[default: 4\]$/)
  assert.match(y.duration?.description ?? '', /\[duration\] \[default: 5s\]$/)
  assert.match(y.rate?.description ?? '', /\[rate\] \[default: 0\]$/)
  assert.doesNotMatch(JSON.stringify(y), /default: undefined/)
})

test("help entries are short, grouped and labelled: one or two lines each, the rest in docs/", () => {
  for (const o of RUN_OPTIONS) {
    assert.ok(o.flag === 'scenario' || o.description.length <= 110, `--${o.flag}'s help is ${o.description.length} characters: ${o.description}`)
    assert.ok(['load', 'listeners', 'analysis', 'hosts', 'output'].includes(o.group), o.flag)
  }
  const flags = runOptionGroups().flatMap(([keys]) => keys)
  assert.deepEqual([...flags].sort(), RUN_OPTIONS.map(o => o.flag).sort(), 'every option in exactly one group')
})

test('no flags: the default plan, asking the default precision (no length named)', () => {
  assert.deepEqual(planFromArgs({}), { ...DEFAULT_PLAN, ...DEFAULT_PRECISION, trials: 1, durationSec: 12 })
  assert.deepEqual(planFromArgs({ duration: '5' }), { ...DEFAULT_PLAN, durationSec: 5 }, 'a length named: its rounds, no precision')
})

test('a scenario fills only what was not given: a value given explicitly wins, 0 included', () => {
  assert.equal(planFromArgs({ scenario: 'work' }).workUs, 200)
  assert.equal(planFromArgs({ scenario: 'work', 'work-us': '0' }).workUs, 0)
  const r = planFromArgs({ scenario: 'restart', churn: '5' })
  assert.deepEqual([r.restart, r.churn, r.restartBusyMs], [true, 5, 50])
  assert.deepEqual(planFromArgs({ scenario: 'stall' }).stall, { index: 0, forMs: 100, everyMs: 500 })
  for (const [name, s] of Object.entries(SCENARIOS)) assert.ok(s.description.length > 10, name)
})

test('docs/commands.md describes every mode as the registry does (run --help lists only their names)', () => {
  const docs = readFileSync(fileURLToPath(new URL('../../../docs/commands.md', import.meta.url)), 'utf8')
  for (const k of LISTENER_KINDS) assert.ok(docs.includes(`| \`${k.mode}\` | ${k.description} |`), `docs/commands.md's Modes table has ${k.mode} as the registry describes it`)
})
