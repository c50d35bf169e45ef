// The listeners' Node binary (proc/node.ts): its version asked of the binary,
// which versions have reusePort, and --node given a path that is no Node.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { hasBoundSocket, hasReusePort, nodeAt, thisNode } from '../../src/proc/node.js'
import { runCli } from '../helpers.js'

test('reusePort exists from 22.12 on 22 and from 23.1', () => {
  assert.deepEqual(['v20.20.2', 'v22.11.0', 'v22.12.0', 'v23.0.0', 'v23.1.0', 'v24.0.0', 'v26.1.0'].map(hasReusePort), [false, false, true, false, true, true, true])
})

test('net.BoundSocket exists from 24.19 on 24 and from 26.4 on 26 (not on 25), and in every later major', () => {
  assert.deepEqual(['v22.23.5', 'v24.18.0', 'v24.19.0', 'v25.9.0', 'v26.3.0', 'v26.4.0', 'v26.12.1', 'v27.0.0'].map(hasBoundSocket), [false, false, true, false, false, true, true, true])
})

test('a Node binary reports its own version; a path that is not one is bad input', () => {
  assert.deepEqual(nodeAt(process.execPath), { path: process.execPath, version: process.version })
  assert.deepEqual(nodeAt(null), thisNode())
  assert.throws(() => nodeAt('/nonexistent/node'), (e: unknown) => e instanceof UsageError && /^--node \/nonexistent\/node: not a Node binary/.test(e.message))
  assert.throws(() => nodeAt('/bin/true'), (e: unknown) => e instanceof UsageError && /not a Node version/.test(e.message))
})

test('run --node with no Node there: one line, exit 2, nothing started', async () => {
  const r = await runCli(['run', '--modes', 'reuseport', '--node', '/nonexistent/node', '--duration', '1'], 30_000)
  assert.equal(r.code, 2)
  assert.match(r.stderr, /^reuseport-bench: --node \/nonexistent\/node: not a Node binary that runs here/)
  assert.equal(r.stderr.trim().split('\n').length, 1)
})

test("the caller's own Node flags never reach our processes: run() from `node --input-type=module -e` starts listeners, cluster workers and threads", async () => {
  const api = new URL('../../src/api/index.js', import.meta.url).href
  const script = `import { run } from '${api}'
const r = await run({ modes: ['reuseport', 'cluster', 'threads'], workers: 2, connections: 4, durationSec: 0.5, warmupSec: 0, trials: 1, pauseSec: 0 })
console.log(JSON.stringify(r.runs.map(x => [x.mode, x.listeners.reduce((s, l) => s + l.accepts, 0)])))`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 90_000 })
  assert.equal(r.status, 0, r.stderr.split('\n').slice(0, 3).join('\n'))
  const runs = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '[]') as [string, number][]
  assert.deepEqual(runs.map(x => x[0]).sort(), ['cluster', 'reuseport', 'threads'])
  for (const [mode, accepts] of runs) assert.ok(accepts >= 4, `${mode}: ${accepts} accepts`)
})
