// reproduce's engine, its pure parts (reproduce/run.ts): why a study cannot run here, its time, checks
// limited to another platform, and the differences the report states.
import assert from 'node:assert/strict'
import os from 'node:os'
import { test } from 'node:test'
import { readCatalogue } from '../../src/reproduce/catalogue.js'
import { differences, judgeChecks, notRunReason, studiesSec, studySec } from '../../src/reproduce/run.js'
import type { Study } from '../../src/types/study.js'
import { makeDoc, makeRun } from '../fixtures.js'

const all = readCatalogue()
const byId = (id: string): Study => {
  const s = all.find(x => x.id === id)
  assert.ok(s !== undefined, id)
  return s
}

test('a study is not run, with the reason, on another platform, without root, with too few CPUs, or with a mode this Node lacks', () => {
  const s = byId('google-lwn-542629')
  assert.match(notRunReason({ ...s, requires: { ...s.requires, platforms: ['freebsd'] } }, false) ?? '', /needs freebsd; this host is/)
  if (process.getuid?.() !== 0) assert.equal(notRunReason({ ...s, requires: { ...s.requires, root: true } }, false), 'it needs root')
  assert.match(notRunReason({ ...s, requires: { ...s.requires, cpus: os.availableParallelism() + 1 } }, false) ?? '', /its shape needs \d+ CPUs; this host has/)
  const bound = { ...s, run: { kind: 'load' as const, plan: { ...(s.run.kind === 'load' ? s.run.plan : {}), modes: 'reuseport,bound-socket' }, quick: {} } }
  const want = process.versions.node.split('.').map(Number)
  const has = (want[0] === 24 && (want[1] ?? 0) >= 19) || (want[0] ?? 0) >= 26 && ((want[0] ?? 0) > 26 || (want[1] ?? 0) >= 4)
  assert.equal(notRunReason(bound, false) === undefined, has, `bound-socket on ${process.version}`)
  assert.equal(studySec({ ...s, requires: { ...s.requires, platforms: ['freebsd'] } }, false), 0, 'a study that will not run takes no time')
})

test('time: quick is shorter, and studies that share a plan count once', () => {
  const libuv = byId('libuv-386')
  const egg = byId('egg-5365')
  assert.ok(studySec(libuv, true) < studySec(libuv, false))
  assert.equal(studiesSec([libuv, egg], false), studySec(libuv, false), 'egg-5365 shares the libuv-386 run')
  assert.equal(studiesSec([libuv, byId('google-lwn-542629')], true), studySec(libuv, true) + studySec(byId('google-lwn-542629'), true))
})

test('a check limited to another platform is not run here, with the reason; the others are judged', () => {
  const s = byId('seed-article-matrix')
  const out = judgeChecks(s, { platform: 'linux' })
  assert.deepEqual(out.map(c => c.finding), ['inconclusive', 'not run'])
  assert.match(out[1]?.why ?? '', /holds on freebsd; this host is linux/)
})

test('differences name the scaling, this host and where each side ran', () => {
  const s = byId('libuv-386')
  const doc = makeDoc([makeRun('reuseport', [1, 1, 1, 1]), makeRun('cluster', [1, 1, 1, 1])])
  doc.runs[0] = { ...doc.runs[0], cpus: { client: [0], listeners: [1], rule: 'test rule' } } as typeof doc.runs[0]
  const d = differences(s, { result: doc, platform: 'linux' })
  assert.equal(d[0], s.scaling)
  assert.match(d[1] ?? '', /^here: 2 CPUs \(test\), linux 6\.0, Node v20/)
  assert.match(d[2] ?? '', /client on CPU 0, listeners on CPU 1/)
})
