// Each scenario, short and bounded, checks that its effect is measured (not its size).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { test } from 'node:test'
import { netnsUnavailable } from '../../src/proc/netns.js'
import { runCli } from '../helpers.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { countersOf, queuesOf } from '../../src/report/kernel.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-scen-')
test.after(() => rmSync(out, { recursive: true, force: true }))

async function run (args: string[]): Promise<ResultDoc> {
  const r = await runCli(['run', ...(args.includes('--trials') ? [] : ['--trials', '1']), ...args, '--warmup', '0', '--pause', '0', '--out', out, '--json'], 120_000)
  assert.equal(r.code, 0, r.stderr)
  return JSON.parse(r.stdout) as ResultDoc
}

test('stall: the stalled listener shows more event-loop delay and slower responses than the others', async () => {
  const doc = await run(['--modes', 'reuseport', '--workers', '3', '--connections', '9', '--duration', '2', '--stall', '0:80:300', '--churn', '1'])
  const r = doc.runs[0]
  assert.ok(r !== undefined)
  assert.deepEqual(r.scenario.stall, { index: 0, forMs: 80, everyMs: 300 })
  const stalled = r.listeners[0]
  const others = r.listeners.slice(1)
  assert.ok(stalled !== undefined)
  assert.ok(others.every(o => stalled.loopDelayMs.p99 > o.loopDelayMs.p99), `loop delay p99: ${r.listeners.map(l => l.loopDelayMs.p99).join('/')}`)
  // p90: the stall holds listener 0 for 80 ms of every 300 (over a quarter of its requests wait), while a p99 is
  // one busy moment of the host away from any listener (beside the other tests, the others' p99 reached 164 ms)
  const byL = (i: number): number => r.client.byListener.find(b => b.index === i)?.latencyMs.p90 ?? NaN
  assert.ok([1, 2].every(i => byL(0) > byL(i)), `client p90 by listener: ${[0, 1, 2].map(byL).join('/')}`)
  // with --churn 1 every response is a reconnect: the harness still times all of them
  assert.ok(r.client.responses > 0 && r.client.latencyMs.p50 > 0)
  assert.equal(r.client.responses, r.listeners.reduce((a, l) => a + l.requests, 0) - r.accounting.requestDifference)
  // the kernel's view: the stalled listener's accept queue is the deepest on average
  const q = queuesOf(r)?.sockets ?? []
  if (process.platform === 'linux') assert.ok(q.length === 3 && q.slice(1).every(o => (q[0]?.mean ?? 0) > o.mean), `accept queue means: ${q.map(s => s.mean).join('/')}`)
})

test('work: CPU work per request raises server processing time', async () => {
  const doc = await run(['--modes', 'single', '--connections', '4', '--duration', '1', '--work-us', '300'])
  const r = doc.runs[0]
  assert.ok(r !== undefined)
  assert.equal(r.scenario.workUs, 300)
  assert.ok(r.serverLatencyUs.p50 >= 300, `server p50 ${r.serverLatencyUs.p50} us`)
})

test('steering: a CBPF program that picks the first socket takes every connection there, and is detached', async () => {
  const doc = await run(['--modes', 'reuseport', '--workers', '3', '--connections', '12', '--churn', '4', '--duration', '1', '--steer', 'first'])
  const r = doc.runs[0]
  assert.ok(r !== undefined)
  const accepts = r.listeners.map(l => l.accepts)
  assert.ok((accepts[0] ?? 0) > 0 && accepts.slice(1).every(a => a === 0), `accepts ${accepts.join('/')}`)
  assert.equal(r.scenario.steer?.detached, 'ok')
  // without the program the kernel hash spreads them
  const plain = (await run(['--modes', 'reuseport', '--workers', '3', '--connections', '12', '--churn', '4', '--duration', '1'])).runs[0]
  assert.ok(plain !== undefined && plain.listeners.filter(l => l.accepts > 0).length >= 2)
})

test('rolling restart: every listener is replaced, errors in the window are recorded, accounting survives', async () => {
  const doc = await run(['--scenario', 'restart', '--modes', 'reuseport,shared', '--workers', '2', '--connections', '8', '--duration', '2.5'])
  for (const r of doc.runs.filter(x => x.variant === undefined)) {
    const x = r.scenario.restart
    assert.ok(x !== undefined)
    assert.deepEqual(x.events.map(e => e.index), [0, 1])
    assert.equal(x.busyMs, 50)
    assert.ok(r.listeners.every(l => (l.replacedPids ?? []).length === 1), 'each index served by two processes')
    assert.equal(x.errorsInWindow + x.errorsOutsideWindow, r.client.errors)
    assert.ok(r.accounting.listenerRequests > 0)
    // the kernel saw every socket: reuseport's old and new ones, each put to its listener, with when it was there
    const sockets = queuesOf(r)?.sockets ?? []
    if (process.platform === 'linux' && r.mode === 'reuseport') {
      assert.deepEqual(sockets.map(s => s.owner), ['listener 0', 'listener 0', 'listener 1', 'listener 1'])
      assert.ok((sockets[0]?.seenMs[1] ?? Infinity) < (sockets[1]?.seenMs[1] ?? 0), 'the old socket closed before the new one')
    }
  }
  // the shared socket survives a listener leaving: nothing queued is lost
  assert.equal(doc.runs.find(x => x.mode === 'shared')?.scenario.restart?.errorsInWindow, 0)
  const why = netnsUnavailable()
  if (why === undefined) {
    const migrated = doc.runs.find(x => x.variant !== undefined)
    assert.ok(migrated !== undefined, 'tcp_migrate_req=1 variant ran')
    assert.equal(migrated.scenario.restart?.tcpMigrateReq, '1')
    assert.ok(countersOf(migrated)?.deltas.TCPMigrateReqSuccess !== undefined, "the migrations counted in the variant's own namespace")
  } else {
    assert.ok(doc.skipped?.some(s => s.reason === why))
  }
  // the host's own setting was not touched
  assert.equal(execFileSync('cat', ['/proc/sys/net/ipv4/tcp_migrate_req']).toString().trim(), doc.host.sysctls['net.ipv4.tcp_migrate_req'])
})

test('sweep: a shuffled grid with trials gets medians, intervals suited to two trials (min-max), and a placement test of its trials together', async () => {
  const doc = await run(['--modes', 'reuseport,shared', '--workers', '1,2', '--connections', '4', '--trials', '2', '--duration', '0.3', '--unstable', 'keep'])
  assert.equal(doc.runs.length, 8)
  const order = doc.runs.map(r => `${r.mode}/${r.workers}/${r.trial}`)
  assert.notDeepEqual(order, [...order].sort(), 'runs are not in grid order')
  assert.equal(doc.sweep?.length, 4)
  for (const c of doc.sweep ?? []) {
    assert.equal(c.trials, 2)
    assert.ok(c.rps.lo <= c.rps.median && c.rps.median <= c.rps.hi)
    assert.equal(c.rps.method, 'min-max')
    if (c.workers > 1) {
      assert.equal(c.placement?.trials, 2, 'both trials tested together')
      assert.equal(c.placement?.n, 4, 'n is one trial\'s connections')
      assert.equal(c.placement?.k, c.workers)
    }
  }
})

test('--fail-if makes run exit 3 (its own code) when a threshold is crossed, after writing the result', async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'single', '-c', '2', '-d', '300ms', '--warmup', '0', '--out', out, '--fail-if', 'rps<1000M'], 60_000)
  assert.equal(r.code, 3)
  assert.match(r.stderr, /fail-if: rps<1000M: single .* has rps \d+/)
  assert.match(r.stderr, /threshold crossed \(result written to /)
})

test('separate client host: load from its own namespace over veth, several client addresses', async (t) => {
  const why = netnsUnavailable()
  if (why !== undefined) { t.skip(why); return }
  const doc = await run(['--client-netns', '--client-addrs', '3', '--modes', 'reuseport', '--workers', '2', '--connections', '9', '--churn', '5', '--duration', '1'])
  const r = doc.runs[0]
  assert.ok(r?.clientHost !== undefined)
  const peers = new Set(r.listeners.flatMap(l => Object.keys(l.peers)))
  assert.deepEqual([...peers].sort(), [...r.clientHost.clientAddresses].sort())
  // churning: a connection opened in the last instant may be counted on one side only
  assert.ok(Math.abs(r.accounting.listenerAccepts - r.client.connectionsOpened) <= 9, r.accounting.note)
  assert.equal(execFileSync('ip', ['netns', 'list']).toString().includes(r.clientHost.clientNs), false, 'namespaces removed')
})

test('the tcp_migrate_req variant receives the whole plan: steering, --no-instrument and --backlog survive', async (t) => {
  const why = netnsUnavailable()
  if (why !== undefined) { t.skip(why); return }
  const doc = await run(['--scenario', 'restart', '--steer', 'first', '--no-instrument', '--backlog', '64', '--modes', 'reuseport', '--workers', '2', '--connections', '4', '--duration', '1.5'])
  const main = doc.runs.find(x => x.variant === undefined)
  const variant = doc.runs.find(x => x.variant !== undefined)
  assert.ok(main !== undefined && variant !== undefined, 'both ran')
  for (const r of [main, variant]) {
    assert.equal(r.scenario.steer?.kind, 'first', `${r.variant ?? 'main'}: steered`)
    assert.equal(r.listeners.reduce((a, l) => a + l.requests, 0), 0, `${r.variant ?? 'main'}: not instrumented`)
    assert.ok(r.client.responses > 0)
  }
  assert.equal(variant.scenario.restart?.tcpMigrateReq, '1')
  assert.equal(doc.plan.backlog, 64)
})
