// report refuses truncated, malformed or wrong-schema files with one clear line.
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { loadProbe, loadResult } from '../../src/store/load.js'
import { makeDoc, makeRun } from '../fixtures.js'
import { PLAN_DRIVER_NAMES, PLAN_STEER_NAMES } from '../../src/schema/result.js'
import { LOAD_DRIVERS } from '../../src/load/drivers/index.js'
import { STEER_NAMES } from '../../src/topology/steer/policies.js'
import { scratch } from '../scratch.js'

const dir = scratch('rb-load-')
test.after(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string): string => { const f = path.join(dir, name); writeFileSync(f, text); return f }

test('a good result loads', () => {
  const doc = makeDoc([makeRun('reuseport', [1, 2])])
  assert.equal(loadResult(file('good.json', JSON.stringify(doc))).runs.length, 1)
})

const bad: Array<[string, string, RegExp]> = [
  ['truncated', JSON.stringify(makeDoc([makeRun('reuseport', [1, 2])])).slice(0, 200), /not valid JSON \(truncated/],
  ['no schema', '{"runs": []}', /\(result-1\.schema\.json\): schemaVersion must be 1, got undefined/],
  ['future schema', '{"schemaVersion": 2, "runs": []}', /schemaVersion must be 1, got 2/],
  ['array', '[1,2]', /the document must be an object, got \[1,2\]/],
  ['runs missing', '{"schemaVersion": 1}', /tool must be an object, got undefined/],
  ['bad run', JSON.stringify({ ...makeDoc([]), runs: [{ mode: 'x' }] }), /runs\[0\]\.mode must be one of /],
  ['a probe', '{"schemaVersion": 1, "kind": "probe", "cells": []}', /is a probe result; pass it with --probe/],
  ['a compare document', '{"schemaVersion": 1, "kind": "compare"}', /is a compare document, not a result/]
]
for (const [name, text, re] of bad) {
  test(`refuses ${name}`, () => {
    assert.throws(() => loadResult(file(`${name}.json`, text)), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && re.test(e.message) && !e.message.includes('\n'))
  })
}

test('missing file and folder', () => {
  assert.throws(() => loadResult(path.join(dir, 'nope.json')), /no such file/)
  assert.throws(() => loadResult(dir), /it is a folder/)
  assert.throws(() => loadProbe(file('r.json', JSON.stringify(makeDoc([])))), /is a result document, not a probe/)
})

test('a plan field that names a choice takes only the allowed values (driver, steer, CPU sets, interleave)', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['driver', { driver: 'rm -rf' }, /plan\.driver must be one of autocannon, paced/],
    ['steer', { steer: '<script>' }, /plan\.steer must be one of none, cpu/],
    ['steer arms', { steerArms: { reuseport: 'evil' } }, /plan\.steerArms\.reuseport must be one of/],
    ['client CPUs', { clientCpus: '0-3; reboot' }, /plan\.clientCpus must be one of auto, all/],
    ['listener CPUs', { listenerCpus: [-1] }, /plan\.listenerCpus/],
    ['interleave', { interleave: 'sideways' }, /plan\.interleave must be one of rounds, cells/]
  ]
  for (const [name, change, re] of cases) {
    const doc = makeDoc([makeRun('reuseport', [1, 2])])
    const f = file(`plan-${name.replace(/ /g, '-')}.json`, JSON.stringify({ ...doc, plan: { ...doc.plan, ...change } }))
    assert.throws(() => loadResult(f), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && re.test(e.message), name)
  }
  const doc = makeDoc([makeRun('reuseport', [1, 2])])
  assert.equal(loadResult(file('plan-cpus.json', JSON.stringify({ ...doc, plan: { ...doc.plan, clientCpus: [0], listenerCpus: 'all' } }))).plan.listenerCpus, 'all')
})

test("the allowed values are the registries' own", () => {
  assert.deepEqual([...PLAN_DRIVER_NAMES].sort(), LOAD_DRIVERS.map(d => d.name).sort())
  assert.deepEqual([...PLAN_STEER_NAMES].sort(), [...new Set(['none', ...STEER_NAMES])].sort())
})
