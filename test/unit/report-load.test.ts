// report refuses truncated, malformed or wrong-schema files with one clear line.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { loadProbe, loadResult } from '../../src/store/load.js'
import { makeDoc, makeRun } from '../fixtures.js'

const dir = mkdtempSync(path.join(tmpdir(), 'rb-load-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string): string => { const f = path.join(dir, name); writeFileSync(f, text); return f }

test('a good result loads', () => {
  const doc = makeDoc([makeRun('reuseport', [1, 2])])
  assert.equal(loadResult(file('good.json', JSON.stringify(doc))).runs.length, 1)
})

const bad: Array<[string, string, RegExp]> = [
  ['truncated', JSON.stringify(makeDoc([makeRun('reuseport', [1, 2])])).slice(0, 200), /not valid JSON \(truncated/],
  ['no schema', '{"runs": []}', /no schemaVersion/],
  ['future schema', '{"schemaVersion": 2, "runs": []}', /schemaVersion 2; this version reads 1/],
  ['array', '[1,2]', /no schemaVersion/],
  ['runs missing', '{"schemaVersion": 1}', /runs, host or plan missing/],
  ['bad run', JSON.stringify({ ...makeDoc([]), runs: [{ mode: 'x' }] }), /malformed run entry/],
  ['a probe', '{"schemaVersion": 1, "kind": "probe", "cells": []}', /is a probe result; pass it with --probe/]
]
for (const [name, text, re] of bad) {
  test(`refuses ${name}`, () => {
    assert.throws(() => loadResult(file(`${name}.json`, text)), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && re.test(e.message) && !e.message.includes('\n'))
  })
}

test('missing file and folder', () => {
  assert.throws(() => loadResult(path.join(dir, 'nope.json')), /no such file/)
  assert.throws(() => loadResult(dir), /it is a folder/)
  assert.throws(() => loadProbe(file('r.json', JSON.stringify(makeDoc([])))), /not a reuseport-bench probe result/)
})
