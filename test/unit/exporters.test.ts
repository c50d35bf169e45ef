// The exporters' table (store/exporters.ts) drives run's --export-* flags, their help and the files written.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RUN_OPTIONS, runOptionGroups, runYargsOptions } from '../../src/plan/options.js'
import { EXPORTERS, exporterOptions } from '../../src/store/exporters.js'
import { makeDoc, makeRun } from '../fixtures.js'

test('each exporter is a flag of its own in the output group of run --help, with its help line', () => {
  const flags = EXPORTERS.map(e => e.flag)
  assert.deepEqual(flags, ['export-markdown', 'export-csv'])
  assert.equal(new Set([...flags, ...RUN_OPTIONS.map(o => o.flag)]).size, flags.length + RUN_OPTIONS.length, 'no exporter flag is also a run option')
  const output = runOptionGroups(exporterOptions()).find(([, title]) => title === 'Output:')?.[0] ?? []
  for (const e of EXPORTERS) {
    assert.ok(output.includes(e.flag), e.flag)
    assert.equal(runYargsOptions(exporterOptions())[e.flag]?.description, `${e.description} [file]`)
  }
})

test('each exporter renders a result as text of its kind', async () => {
  const doc = makeDoc([makeRun('reuseport', [5, 7]), makeRun('shared', [9, 3])])
  const [markdown, csv] = await Promise.all(EXPORTERS.map(async e => (await e.renderer())(doc)))
  assert.match(markdown ?? '', /^#|\|/m)
  assert.match(csv ?? '', /^mode,variant,workers,connections,trial,index,pid,accepts/)
})
