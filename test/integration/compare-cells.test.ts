// compare: plans that differ are refused or flagged; cells are summarised by
// the median of their trials and never pooled; the terminal gets a summary.
import assert from 'node:assert/strict'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { planDifferences } from '../../src/plan/planDiff.js'
import { cellFigures, cellKeys, compareSummary } from '../../src/report/compareCells.js'
import { DEFAULT_PLAN } from '../../src/plan/validate.js'
import { runCli } from '../helpers.js'
import { makeDoc, makeRun } from '../fixtures.js'
import { scratch } from '../scratch.js'

const dir = scratch('rb-compare-')
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('plan differences: load shape changes what is measured; duration only weakens; a field older results lack reads as its default', () => {
  const d = planDifferences(DEFAULT_PLAN, { ...DEFAULT_PLAN, churn: 1, durationSec: 10, stall: { index: 0, forMs: 100, everyMs: 500 } })
  assert.deepEqual(d.map(x => `${x.field} ${x.a} vs ${x.b}: ${x.severity}`), [
    'churn 0 vs 1: changes what is measured',
    'stall none vs 0:100:500: changes what is measured',
    'duration 5 s vs 10 s: weakens the comparison'
  ])
  const { driver: _d, ...old } = DEFAULT_PLAN
  assert.deepEqual(planDifferences(old, DEFAULT_PLAN), [])
  assert.deepEqual(planDifferences(DEFAULT_PLAN, { ...DEFAULT_PLAN, label: 'other', seed: 9, trials: 3 }), [], 'label, seed and trials do not change what one cell measures')
  assert.deepEqual(planDifferences(DEFAULT_PLAN, { ...DEFAULT_PLAN, clientCpus: [0], listenerCpus: 'all' }).map(d => `${d.field}: ${d.a} vs ${d.b}`), ['client-cpus: auto vs 0', 'listener-cpus: auto vs all'], 'CPU pinning changes what is measured')
  // Which hosts ran what changes what is measured; how they were reached does not (a Linux and a FreeBSD server host compare).
  const { serverVia: _s, clientVia: _c, ...beforeHosts } = DEFAULT_PLAN
  assert.deepEqual(planDifferences(beforeHosts, DEFAULT_PLAN), [])
  const linux = { ...DEFAULT_PLAN, serverVia: 'ssh linux', clientVia: ['ssh client'] }
  assert.deepEqual(planDifferences(linux, { ...linux, serverVia: 'ssh freebsd' }), [])
  assert.deepEqual(planDifferences(DEFAULT_PLAN, linux).map(d => `${d.field}: ${d.a} vs ${d.b}`), ["server-via: listeners on the orchestrator's host vs listeners on a server host", 'client-via: 0 client hosts vs 1 client hosts'])
})

test('cells: the median of the trials, each configuration apart; paired ratios with their range, or "no interval"', () => {
  const trial = (mode: string, accepts: number[], rps: number, t: number): ReturnType<typeof makeRun> => ({ ...makeRun(mode, accepts, rps), trial: t })
  const a = makeDoc([trial('reuseport', [5, 5], 100, 1), trial('reuseport', [5, 5], 300, 2), trial('reuseport', [5, 5], 200, 3), trial('reuseport', [10, 10], 999, 1)])
  const b = makeDoc([trial('reuseport', [5, 5], 100, 1), trial('reuseport', [5, 5], 100, 2), trial('reuseport', [5, 5], 100, 3)])
  const keys = cellKeys([{ name: 'a', doc: a }, { name: 'b', doc: b }])
  assert.deepEqual(keys.map(k => `${k.label}/${k.workers}/${k.connections}`), ['reuseport/2/10', 'reuseport/2/20'])
  assert.equal(cellFigures(a, keys[0]?.key ?? '')?.rps, 200, 'median of 100, 300, 200')
  assert.equal(cellFigures(a, keys[1]?.key ?? '')?.rps, 999, 'the 20-connection cell is not pooled in')
  const lines = compareSummary([{ name: 'linux', doc: b }, { name: 'freebsd', doc: a }])
  assert.equal(lines.length, 1, 'only the cell both ran')
  assert.match(lines[0] ?? '', /^freebsd vs linux: reuseport \(2 workers, 10 connections\) req\/s 2\.00x \[1\.00, 3\.00\] over 3 paired trials \(min-max\)/)
  const one = compareSummary([{ name: 'x', doc: makeDoc([makeRun('shared', [3, 3], 50)]) }, { name: 'y', doc: makeDoc([makeRun('shared', [3, 3], 60)]) }])
  assert.match(one[0] ?? '', /req\/s 1\.20x \(1 trial each: no interval\)/)
})

test('compare of results with different churn is refused (exit 2, naming it); with --allow-different-plans it warns on stderr and on the page', async () => {
  const keepAlive = path.join(dir, 'keepalive.json')
  const churning = path.join(dir, 'churn.json')
  const doc = makeDoc([makeRun('reuseport', [5, 5]), makeRun('shared', [9, 1])])
  writeFileSync(keepAlive, JSON.stringify(doc))
  writeFileSync(churning, JSON.stringify({ ...doc, plan: { ...doc.plan, churn: 1 } }))
  const refused = await runCli(['compare', keepAlive, churning, '--names', 'keepalive,churn', '--out', path.join(dir, 'no.html')])
  assert.equal(refused.code, 2, refused.stderr)
  assert.match(refused.stderr, /^reuseport-bench: these results were not measured the same way: keepalive vs churn: churn 0 vs 1 \(changes what is measured\); compare them anyway with --allow-different-plans\n$/)
  const out = path.join(dir, 'yes.html')
  const allowed = await runCli(['compare', keepAlive, churning, '--names', 'keepalive,churn', '--out', out, '--allow-different-plans'])
  assert.equal(allowed.code, 0, allowed.stderr)
  assert.match(allowed.stderr, /WARNING: plans differ: keepalive vs churn: churn 0 vs 1/)
  assert.match(allowed.stdout, /^churn vs keepalive: reuseport \(2 workers, 10 connections\) req\/s 1\.00x \(1 trial each: no interval\)/m)
  assert.match(readFileSync(out, 'utf8'), /THESE RESULTS WERE NOT MEASURED THE SAME WAY: keepalive vs churn: churn 0 vs 1/)
})

test('compare of results with no cell in common is bad input naming what each has, and writes no page (it said "nothing to put side by side" with exit 0)', async () => {
  const two = path.join(dir, 'w2.json')
  const three = path.join(dir, 'w3.json')
  const a = makeRun('reuseport', [5, 5])
  writeFileSync(two, JSON.stringify(makeDoc([a])))
  writeFileSync(three, JSON.stringify(makeDoc([{ ...makeRun('reuseport', [4, 3, 3]), workers: 3 }])))
  const page = path.join(dir, 'apart.html')
  const r = await runCli(['compare', two, three, '--names', 'two,three', '--out', page])
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /^reuseport-bench: nothing to put side by side: three and two have no cell in common \(a cell is a mode with its workers and connections\): two has reuseport \(2 workers, 10 connections\); three has reuseport \(3 workers, 10 connections\)\n$/)
  assert.throws(() => readFileSync(page), /ENOENT/)
})
