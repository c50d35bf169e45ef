// Short real runs of every mode through the CLI: listeners' accepts must add
// up to the connections the client opened.
import assert from 'node:assert/strict'
import { readFileSync, readlinkSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { runCli } from '../helpers.js'
import { hasReusePort } from '../../src/proc/node.js'
import { countersOf, queuesOf } from '../../src/report/kernel.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { ModeRun } from '../../src/types/run.js'
import { helperCpuIn } from '../../src/collect/samplers/helperCpu.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-run-')
test.after(() => rmSync(out, { recursive: true, force: true }))

test('every mode, keep-alive: accepts sum to the client connections, JSON contract holds', async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport,shared,cluster,single', '--workers', '3', '--connections', '12',
    '--duration', '1', '--warmup', '0.5', '--pause', '0', '--out', out, '--json', '--label', 'test run'], 90_000)
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr, '', '--json prints nothing else')
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.equal(doc.schemaVersion, 1)
  assert.equal(doc.label, 'test run')
  for (const k of ['platform', 'release', 'cpus', 'node'] as const) assert.ok(doc.host[k] !== undefined, `host.${k}`)
  assert.deepEqual(doc.runs.map(x => x.mode).sort(), ['cluster', 'reuseport', 'shared', 'single'], 'every mode once (one round side by side)')
  for (const run of doc.runs) {
    const n = run.mode === 'single' ? 1 : 3
    assert.equal(run.workers, n)
    assert.equal(run.listeners.length, n)
    assert.equal(run.client.errors, 0, `${run.mode} client errors`)
    assert.ok(run.client.responses > 0, `${run.mode} served`)
    assert.equal(run.client.requests, run.client.responses)
    const accepts = run.listeners.reduce((a, l) => a + l.accepts, 0)
    assert.equal(run.client.connectionsOpened, 12, `${run.mode}: client opened`)
    assert.equal(accepts, 12, `${run.mode}: accepts ${run.listeners.map(l => l.accepts).join('/')}`)
    assert.equal(run.accounting.acceptsMatch, true)
    // in-flight requests at the stop are at most one per connection
    assert.ok(run.accounting.requestDifference >= 0 && run.accounting.requestDifference <= 12, `${run.mode}: ${run.accounting.note}`)
    for (const k of ['p50', 'p90', 'p99', 'p999', 'max'] as const) assert.equal(typeof run.client.latencyMs[k], 'number')
    for (const l of run.listeners) {
      assert.ok(l.pid > 0)
      assert.equal(typeof l.latencyUs.p99, 'number')
    }
    for (const k of ['jain', 'maxMinRatio', 'cov', 'busiestShare'] as const) assert.ok(k in run.fairness)
    assert.equal(new Set(run.listeners.map(l => l.pid)).size, n, 'distinct processes')
    assert.ok(run.cpus !== undefined && typeof run.cpus.rule === 'string', `${run.mode}: the CPU sets recorded`)
    assert.ok(['client-bound', 'listener-bound', 'unclear'].includes(run.bottleneck?.kind ?? ''), `${run.mode}: a bottleneck verdict`)
    assert.ok((run.bottleneck?.listenerShare ?? -1) > 0, `${run.mode}: the listeners' CPU share`)
    assert.equal(run.listenerNode, process.version)
    if (process.platform === 'linux') kernelView(run)
  }
  assert.ok(doc.comparison.some(c => c.mode === 'reuseport' && c.baseline === 'shared'))
  // written atomically under out/<stamp>/result.json with out/latest pointing at it
  const latest = readlinkSync(path.join(out, 'latest'))
  const saved = JSON.parse(readFileSync(path.join(out, latest, 'result.json'), 'utf8')) as ResultDoc
  assert.deepEqual(saved, doc)
})

/** The kernel's view of a 3-listener cell: every socket on the port, put to who holds it; the counters read. */
function kernelView (run: ModeRun): void {
  const owners: Record<string, string[]> = { reuseport: ['listener 0', 'listener 1', 'listener 2'], shared: ['shared by listeners 0, 1, 2'], cluster: ['the cluster primary'], single: ['listener 0'] }
  const q = queuesOf(run)
  assert.deepEqual(q?.sockets.map(s => s.owner), owners[run.mode], `${run.mode}: the sockets on the port and who holds them`)
  assert.ok((q?.tMs.length ?? 0) >= 10, `${run.mode}: sampled through the load`)
  for (const s of q?.sockets ?? []) assert.equal(s.series.length, q?.tMs.length)
  assert.ok(countersOf(run)?.deltas.ListenOverflows !== undefined, `${run.mode}: kernel counters`)
  if (run.mode === 'cluster') assert.ok(helperCpuIn(run.samples)?.cpuMs !== undefined, 'the cluster primary\'s CPU')
}

test('--backlog reaches the kernel in every mode (Node listening again on an fd must not put back its 511)', { skip: process.platform !== 'linux' && 'reads sock_diag' }, async () => {
  const modes = ['reuseport', 'shared', 'cluster', 'single', ...(hasReusePort(process.version) ? ['node-reuseport'] : [])]
  const r = await runCli(['run', '--trials', '1', '--modes', modes.join(','), '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--pause', '0', '--backlog', '64', '--out', out, '--json'], 90_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  for (const run of doc.runs) assert.deepEqual(queuesOf(run)?.sockets.map(s => s.backlog), run.mode === 'reuseport' || run.mode === 'node-reuseport' ? [64, 64] : [64], `${run.mode}: the backlog the kernel reports`)
})

test("node-reuseport runs beside reuseport where the listeners' Node has reusePort, and is skipped with the reason where not", async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport,node-reuseport', '--workers', '2', '--connections', '8', '--duration', '1', '--warmup', '0', '--pause', '0', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  if (!hasReusePort(process.version)) {
    assert.deepEqual(doc.runs.map(x => x.mode), ['reuseport'])
    assert.match(doc.skipped?.[0]?.reason ?? '', /node-reuseport needs Node 22\.12\+ or 23\.1\+ for the listeners, which run v/)
    return
  }
  const run = doc.runs.find(x => x.mode === 'node-reuseport')
  assert.equal(run?.socketOption, 'SO_REUSEPORT (Node reusePort)')
  assert.equal(run?.listeners.reduce((a, l) => a + l.accepts, 0), 8)
  assert.deepEqual(run === undefined ? [] : queuesOf(run)?.sockets.map(s => s.owner), ['listener 0', 'listener 1'], 'one SO_REUSEPORT socket per process, as with the addon')
})

test('churn: a new connection every 5 requests, accepts follow the client connections', async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport', '--workers', '2', '--connections', '4', '--duration', '1',
    '--warmup', '0', '--churn', '5', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  assert.ok(run !== undefined)
  assert.ok(run.client.connectionsOpened > 4 * 5, `many connections: ${run.client.connectionsOpened}`)
  const accepts = run.listeners.reduce((a, l) => a + l.accepts, 0)
  // connections opened in the last instant may still sit in the accept queue when counted
  assert.ok(Math.abs(accepts - run.client.connectionsOpened) <= 4, `accepts ${accepts} vs opened ${run.client.connectionsOpened}`)
  assert.ok(run.listeners.every(l => l.accepts > 0), 'both listeners accepted')
  assert.equal(run.accounting.explained, true, run.accounting.note)
})

test('fixed rate: throughput follows --rate and a corrected latency is reported', async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'single', '--connections', '4', '--duration', '2', '--warmup', '0', '--rate', '400', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  assert.ok(run?.client.correctedLatencyMs !== undefined)
  assert.ok(run.client.rps > 200 && run.client.rps <= 460, `rps ${run.client.rps}`)
})
