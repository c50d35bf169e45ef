// The catalogue of studies (reproduce/catalogue.ts): the shipped files read whole, and a file that does not
// fit is bad input naming the file and the field (pure: temporary files only).
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { CATALOGUE, pickStudies, readCatalogue, readStudy, STUDY_MAY_SET, studyPlan } from '../../src/reproduce/catalogue.js'
import { shapeNamed } from '../../src/reproduce/shapes/index.js'
import { scratch } from '../scratch.js'

test('the shipped catalogue: every study reads, ids are unique, every check names a registered shape, plans validate', () => {
  const all = readCatalogue()
  assert.ok(all.length >= 8, `${all.length} studies`)
  assert.equal(new Set(all.map(s => s.id)).size, all.length)
  for (const s of all) {
    assert.ok(s.published.figures.length > 0, `${s.id} quotes a figure`)
    for (const c of s.checks) assert.ok(shapeNamed(c.shape) !== undefined, `${s.id}: ${c.shape}`)
    if (s.run.kind === 'load') assert.ok(studyPlan(s, true).durationSec * studyPlan(s, true).trials <= studyPlan(s, false).durationSec * studyPlan(s, false).trials, `${s.id}: --quick is not longer`)
  }
  for (const id of ['seed-article-matrix', 'google-lwn-542629', 'node-cluster-sched-none', 'cloudflare-2017-stall', 'nginx-2015-sharding', 'libuv-386', 'envoy-33707', 'egg-5365']) assert.ok(all.some(s => s.id === id), id)
})

/** A folder holding one study file: the shipped google study with `change` applied. */
function variant (change: (s: Record<string, any>) => void, name = 'google-lwn-542629.json'): string {
  const dir = scratch('rb-cat-')
  const s = JSON.parse(readFileSync(path.join(CATALOGUE, 'google-lwn-542629.json'), 'utf8')) as Record<string, any>
  change(s)
  writeFileSync(path.join(dir, name), JSON.stringify(s))
  return path.join(dir, name)
}

test('a study that does not fit is one line naming the file and what is wrong', () => {
  const cases: Array<[string, string, RegExp]> = [
    [variant(s => { s.checks[0].shape = 'vibes' }), 'an unknown shape', /checks\[0\]\.shape must be one of/],
    [variant(s => { s.checks[0].mode = 'cluster' }), 'a mode its plan does not run', /names mode cluster, which its plan does not run/],
    [variant(s => { delete s.checks[0].skew }), "a shape's own field missing", /checks\[0\]\.skew must be/],
    [variant(s => { s.run.plan.workers = 0 }), 'a plan the plan validation refuses', /its plan is not a plan: --workers/],
    [variant(s => { s.run.quick.churn = 'lots' }), 'a quick plan refused', /its plan is not a plan: --churn/],
    [variant(s => { s.source.url = 'x\ny' }), 'a field of two lines', /source\.url must be one line/],
    [variant(() => {}, 'other-name.json'), 'an id that is not the file name', /id 'google-lwn-542629' must be the file's name/],
    [variant(s => { s.checks = [{ shape: 'matrix', claim: 'x' }] }), 'a probe shape on a load', /reads the probe, but the study runs a load/]
  ]
  for (const [file, what, re] of cases) {
    assert.throws(() => readStudy(file), (e: unknown) => e instanceof UsageError && re.test(e.message) && e.message.startsWith(`study ${path.basename(file)}: `) && !e.message.includes('\n'), what)
  }
  const broken = path.join(scratch('rb-cat-'), 'broken.json')
  writeFileSync(broken, '{ "id": ')
  assert.throws(() => readStudy(broken), /study broken\.json: cannot be read as JSON/)
})

test('a catalogue is data: a study that names a handler, a Node, a transport, a host or output is refused, naming the field', () => {
  const cases: Array<[string, (s: Record<string, any>) => void]> = [
    ['run.plan.handler', s => { s.run.plan.handler = '/tmp/evil.mjs' }],
    ['run.plan.node', s => { s.run.plan.node = '/tmp/evil.sh' }],
    ['run.plan.serverVia', s => { s.run.plan.serverVia = '/tmp/evil.sh'; s.run.plan.target = '127.0.0.1:8080' }],
    ['run.quick.clientVia', s => { s.run.quick.clientVia = ['/tmp/evil.sh'] }],
    ['run.plan.remoteCommand', s => { s.run.plan.remoteCommand = 'sh -c id' }],
    ['run.plan.host', s => { s.run.plan.host = '10.0.0.1' }],
    ['run.quick.clientCpus', s => { s.run.quick.clientCpus = '0' }],
    ['run.plan.clientNetns', s => { s.run.plan.clientNetns = true }],
    ['run.plan.dumpSteering', s => { s.run.plan.dumpSteering = true }],
    ['run.plan.failIf', s => { s.run.plan.failIf = ['jain<2'] }]
  ]
  for (const [field, change] of cases) {
    const file = variant(change)
    assert.throws(() => readStudy(file), (e: unknown) => e instanceof UsageError && e.message.startsWith(`study ${path.basename(file)}: ${field} is not a study's to set`) && !e.message.includes('\n'), field)
  }
  for (const key of STUDY_MAY_SET) assert.ok(!['handler', 'node', 'serverVia', 'clientVia', 'remoteCommand', 'target', 'host', 'port'].includes(key), key)
})

test('studies picked by id keep the order asked; an unknown id names the known ones; an empty folder is bad input', () => {
  const all = readCatalogue()
  assert.deepEqual(pickStudies(all, ['libuv-386', 'egg-5365', 'libuv-386']).map(s => s.id), ['libuv-386', 'egg-5365'])
  assert.equal(pickStudies(all, []).length, all.length)
  assert.throws(() => pickStudies(all, ['nope']), /unknown study 'nope'; known: .*egg-5365/)
  assert.throws(() => readCatalogue(scratch('rb-cat-')), /no study files/)
})
