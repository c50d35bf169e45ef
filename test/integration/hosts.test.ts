// Runs over several hosts through the CLI, with `env` as the transport (a
// prefix that starts the remote side on this host, so this runs anywhere):
// one merged result whose accounting adds up across hosts; bad flags refused
// in one line; a transport that cannot start fails the run naming the host.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { runCli } from '../helpers.js'
import { assertMergedAcrossHosts, controlSides } from '../hostsCheck.js'
import { buildPlan } from '../../src/plan/validate.js'
import { UsageError } from '../../src/errors.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { RawOptions } from '../../src/types/plan.js'
import { scratch } from '../scratch.js'

test('env as the transport: a server host and two client hosts make one merged result that adds up', { timeout: 90_000 }, async () => {
  const out = scratch('rb-hosts-')
  try {
    const res = await runCli(['run', '--server-via', 'env', '--client-via', 'env', '--client-via', 'env RB_HOST=b', '--target', '127.0.0.1', '--modes', 'shared', '-w', '2', '-c', '9', '-d', '1', '--warmup', '0.3', '--trials', '1', '--out', out, '--json'], 80_000)
    assert.equal(res.code, 0, res.stderr)
    const doc = JSON.parse(res.stdout) as ResultDoc
    assert.equal(doc.plan.serverVia, 'env')
    assert.deepEqual(doc.plan.clientVia, ['env', 'env RB_HOST=b'])
    assert.deepEqual(doc.plan.target, { host: '127.0.0.1', port: 0 })
    for (const r of doc.runs) {
      const h = assertMergedAcrossHosts(r, 2, 9)
      assert.equal(h.server?.via, 'env')
      assert.equal(h.server?.facts.platform, process.platform)
      assert.notEqual(r.socketOption, undefined)
    }
    assert.equal(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8').length > 0, true)
    const clocks = doc.runs[0]?.hosts?.clients.map(c => c.clock) ?? []
    // One machine, one clock: the offset is what reading it costs. Each process reads it through performance.timeOrigin,
    // whole-millisecond grained (20 processes here were 0.07 to 0.99 ms off Date.now()'s tick), so two may disagree by up to 2 ms.
    assert.ok(clocks.every(c => c.rttMs > 0 && c.rttMs < 1000 && Math.abs(c.offsetMs) <= c.rttMs / 2 + 2.5), JSON.stringify(clocks))
    assert.deepEqual(controlSides(), [], 'no remote side is left running')
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})

test('a run over hosts: flags that do not fit are one line and exit 2, before anything starts', async () => {
  // Through the CLI once: one line, exit 2, no host started.
  const res = await runCli(['run', '--server-via', 'env', '-d', '1', '--trials', '1'], 20_000)
  assert.equal(res.code, 2, res.stderr)
  assert.match(res.stderr, /^reuseport-bench: --server-via and --client-via need --target HOST\[:PORT\]/)
  assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr)
  // The rest as the CLI reads them, through the same validation.
  const cases: Array<[RawOptions, RegExp]> = [
    [{ target: '127.0.0.1' }, /--target applies only with --server-via or --client-via/],
    [{ clientVia: ["ssh 'host"], target: '127.0.0.1' }, /--client-via 'ssh 'host' has an unclosed ' quote/],
    [{ clientVia: ['env'], target: 'example.org' }, /--target must be HOST\[:PORT\] with HOST an IP address/],
    [{ clientVia: ['env', 'env'], target: '127.0.0.1', connections: '1' }, /--connections 1 is fewer than 2 client hosts x 1 thread/],
    [{ serverVia: 'env', target: '127.0.0.1', restart: true }, /--restart is not taken by a run over several hosts/],
    [{ serverVia: 'env', target: '127.0.0.1:8080', port: '9090' }, /--port 9090 and --target port 8080 differ/]
  ]
  for (const [raw, re] of cases) assert.throws(() => buildPlan(raw), (e: unknown) => e instanceof UsageError && re.test(e.message), JSON.stringify(raw))
})

test('a client host whose transport cannot start fails the run in one line naming it, and the server host is closed', { timeout: 60_000 }, async () => {
  const out = scratch('rb-hosts-')
  try {
    for (const via of ['false', 'no-such-transport-here']) {
      const res = await runCli(['run', '--server-via', 'env', '--client-via', 'env', '--client-via', via, '--target', '127.0.0.1', '-d', '1', '--trials', '1', '--modes', 'single', '--out', out], 40_000)
      assert.equal(res.code, 1, res.stderr)
      const last = res.stderr.trim().split('\n').pop() ?? ''
      assert.match(last, new RegExp(`^reuseport-bench: client host '${via}' `), res.stderr)
      assert.match(last, via === 'false' ? /exited \(code 1/ : /could not start: spawn no-such-transport-here ENOENT/)
      assert.deepEqual(controlSides(), [], 'the server host and the other client host were closed')
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})

test('a client host that cannot reach the target: one line with the connect error and the host, and no load side left behind (an orphan grew to 1.5 GB)', { timeout: 60_000 }, async t => {
  if (spawnSync('unshare', ['-n', '--fork', '--', 'true']).status !== 0) { t.skip('needs unshare -n (root or user namespaces)'); return }
  const out = scratch('rb-hosts-')
  try {
    const t0 = Date.now()
    const res = await runCli(['run', '--modes', 'reuseport', '-w', '2', '-d', '2', '--warmup', '0', '--trials', '1', '--client-via', 'unshare -n --fork --', '--target', '127.0.0.1:0', '--out', out], 40_000)
    assert.equal(res.code, 1, res.stderr)
    assert.match(res.stderr.trim().split('\n').pop() ?? '', /^reuseport-bench: client host 'unshare -n --fork --': cannot connect to 127\.0\.0\.1:\d+: ENETUNREACH/)
    assert.ok(Date.now() - t0 < 20_000)
    await new Promise(resolve => setTimeout(resolve, 500))
    assert.deepEqual(controlSides(), [], 'no load side left running')
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})

test('the API runs over hosts as the CLI does: the hosts connected, used and closed', { timeout: 60_000 }, async () => {
  const { run } = await import('../../src/api/index.js')
  const doc = await run({ serverVia: 'env', clientVia: ['env'], target: '127.0.0.1', modes: ['single'], connections: 4, durationSec: 0.5, warmupSec: 0, pauseSec: 0, trials: 1 })
  const r = doc.runs[0]
  assert.ok(r !== undefined)
  assertMergedAcrossHosts(r, 1, 4)
  assert.equal(r.hosts?.server?.version, r.hosts?.clients[0]?.version)
  assert.deepEqual(controlSides(), [], 'no remote side is left running')
})
