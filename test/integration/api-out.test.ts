// run(options, { out }) keeps its results as the CLI does: a timestamped folder under `out`, `latest`
// pointed at a complete result, and, when the run is stopped, the cells it finished kept as a partial
// result; every document written fits its schema.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { run } from '../../src/api/index.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { misfitsUnder } from '../schemaCheck.js'
import { scratch } from '../scratch.js'

const dir = scratch('rb-api-out-')
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('a complete run: <out>/<timestamp>/result.json with its report, and <out>/latest pointing at it', { timeout: 120_000 }, async () => {
  const out = path.join(dir, 'whole')
  const since = Date.now()
  const doc = await run({ modes: ['single'], connections: 2, durationSec: 0.3, warmupSec: 0, trials: 1 }, { out })
  const folders = readdirSync(out).filter(f => f !== 'latest')
  assert.equal(folders.length, 1, `one run folder: ${readdirSync(out).join(', ')}`)
  const folder = path.join(out, folders[0] ?? '')
  const saved = JSON.parse(readFileSync(path.join(folder, 'result.json'), 'utf8')) as ResultDoc
  assert.equal(saved.status, 'complete')
  assert.equal(saved.runs.length, doc.runs.length)
  assert.ok(existsSync(path.join(folder, 'report.html')))
  assert.equal(path.resolve(out, readlinkSync(path.join(out, 'latest'))), folder)
  assert.deepEqual(misfitsUnder(out, since, 3), [])
})

test('a run stopped after its first cell keeps that cell as a partial result, and latest stays where it was', { timeout: 180_000 }, async () => {
  const out = path.join(dir, 'stopped')
  const ac = new AbortController()
  await assert.rejects(run({ modes: ['single', 'reuseport'], workers: 2, connections: 2, durationSec: 0.3, warmupSec: 0, trials: 2, interleave: 'cells' }, {
    out,
    signal: ac.signal,
    onEvent: e => { if (e.type === 'cell-done') ac.abort('test') }
  }))
  assert.ok(!existsSync(path.join(out, 'latest')), 'latest points only at a complete result')
  const partial = JSON.parse(readFileSync(path.join(out, 'latest-partial', 'result.json'), 'utf8')) as ResultDoc
  assert.equal(partial.status, 'partial')
  assert.ok(partial.runs.length >= 1, `the finished cells are kept (${partial.runs.length})`)
  assert.deepEqual(misfitsUnder(out, 0, 3), [])
})

test('out, signal and onEvent given among the run options are refused, saying where they go', async () => {
  for (const hook of ['out', 'signal', 'onEvent']) {
    await assert.rejects(run({ modes: ['single'], [hook]: 'x' } as never), new RegExp(`options\\.${hook} is not a run option but a hook: run\\(options, \\{ ${hook} \\}\\)`))
  }
})
