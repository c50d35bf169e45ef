// The files written beside a result (report/artifacts.ts): every CSV row and
// .hgrm file keyed by its whole cell, so trials and configurations stay apart.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { cellFileName, countsCsv, safeName, writeArtifacts } from '../../src/store/artifacts.js'
import { makeDoc, makeRun } from '../fixtures.js'
import { scratch } from '../scratch.js'

const grid = [1, 2].flatMap(trial => [makeRun('reuseport', [5, 5]), makeRun('shared', [9, 1])].map(r => ({ ...r, trial })))

test('counts.csv: one row per listener of each cell, with mode, variant, workers, connections and trial', () => {
  const lines = countsCsv(makeDoc(grid)).trimEnd().split('\n')
  assert.equal(lines[0], 'mode,variant,workers,connections,trial,index,pid,accepts,requests,errors,resets,cpu_ms,rss_bytes,srv_p50_us,srv_p99_us,srv_max_us')
  assert.equal(lines.length, 1 + 4 * 2)
  const keys = lines.slice(1).map(l => l.split(',').slice(0, 6).join(','))
  assert.equal(new Set(keys).size, keys.length, 'no two rows share a cell and listener')
  assert.ok(keys.includes('shared,,2,10,2,0'), keys.join(' | '))
})

test('counts.csv of a UDP result: the client\'s flows, and each listener\'s flows, datagrams and socket drops', () => {
  const udp = (r: ReturnType<typeof makeRun>, drops: number): ReturnType<typeof makeRun> =>
    ({ ...r, listeners: r.listeners.map(l => ({ ...l, udp: { datagrams: l.requests, flows: l.accepts, drops, queued: 0, socket: '1' } })) })
  const base = makeDoc([udp(makeRun('reuseport', [5, 3]), 7)])
  const lines = countsCsv({ ...base, plan: { ...base.plan, protocol: 'udp' } }).trimEnd().split('\n')
  assert.equal(lines[0], 'mode,variant,workers,client_flows,trial,index,pid,flows,datagrams,drops,errors,cpu_ms,rss_bytes,srv_p50_us,srv_p99_us,srv_max_us')
  const first = lines[1]?.split(',') ?? []
  assert.deepEqual([first[7], first[9]], ['5', '7'], 'the listener\'s flows and its socket\'s drops')
})

test('a variant with a comma in its name stays one CSV field', () => {
  const csv = countsCsv(makeDoc([{ ...makeRun('reuseport', [1, 1]), variant: 'a, "b"' }]))
  assert.match(csv, /^reuseport,"a, ""b""",2,2,1,0,/m)
})

test('one client and one server .hgrm per cell, named by the cell', () => {
  const dir = scratch('rb-art-')
  try {
    writeArtifacts(dir, makeDoc(grid))
    const hgrm = readdirSync(dir).filter(f => f.endsWith('.hgrm')).sort()
    assert.deepEqual(hgrm, ['reuseport-w2-c10-t1', 'reuseport-w2-c10-t2', 'shared-w2-c10-t1', 'shared-w2-c10-t2'].flatMap(n => [`${n}-client.hgrm`, `${n}-server.hgrm`]))
    assert.match(readFileSync(path.join(dir, 'shared-w2-c10-t2-client.hgrm'), 'utf8'), /^# shared, 2 workers, 10 connections, trial 2: client round trip/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  assert.equal(cellFileName({ mode: 'reuseport', variant: 'tcp_migrate_req=1 (own netns)', workers: 4, trial: 3, load: { connections: 50 } }), 'reuseport-migrate-w4-c50-t3')
})

test('every side file name goes through one sanitiser: no path, no leading dot, even from a crafted record', () => {
  assert.equal(safeName('../../../../x/ESCAPED'), '__.._.._.._x_ESCAPED')
  assert.equal(safeName('.hidden'), '_hidden')
  assert.equal(safeName(''), '_')
  const crafted = cellFileName({ mode: '../../../../tmp/ESCAPED' as 'reuseport', workers: 2, trial: 1, load: { connections: 4 } })
  assert.ok(!crafted.includes('/'), crafted)
})
