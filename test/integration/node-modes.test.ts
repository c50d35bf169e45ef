// The modes Node 22-26 add (topology/kinds/threads.ts, cluster.ts, boundSocket.ts), through the CLI:
// accounting exact in each; the kernel's view (ss) of who holds which listening socket; a thread that
// throws and a --handler that fails in a thread end the run with one line naming it, nothing left running;
// a mode the listeners' Node lacks is skipped with the reason; each thread's CPU time against the kernel's.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { test } from 'node:test'
import { helperCpuIn } from '../../src/collect/samplers/helperCpu.js'
import { allowedCpus } from '../../src/native/index.js'
import { statTicks, USER_HZ } from '../../src/proc/cpuTime.js'
import { hasBoundSocket, hasReusePort, hasSocketTransfer } from '../../src/proc/node.js'
import { ListenerGroup } from '../../src/topology/group.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { exited, runCli, startCli, tagHolders, waitForStderr } from '../helpers.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-node-modes-')
test.after(() => rmSync(out, { recursive: true, force: true }))

/** The new modes this Node can run. */
const runnable = ['threads', 'cluster-os', ...(hasReusePort(process.version) ? ['cluster-reuseport'] : []), ...(hasBoundSocket(process.version) ? ['bound-socket'] : []), ...(hasSocketTransfer(process.version) ? ['threads-rr'] : [])]

test(`${runnable.join(', ')}: accepts equal the client's connections, served minus received is what was in flight`, async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', runnable.join(','), '--workers', '3', '--connections', '12', '--duration', '1', '--warmup', '0.5', '--out', out, '--json'], 120_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.deepEqual(doc.runs.map(x => x.mode).sort(), [...runnable].sort())
  for (const run of doc.runs) {
    const accepts = run.listeners.reduce((a, l) => a + l.accepts, 0)
    assert.equal(run.client.errors, 0, `${run.mode}: client errors`)
    assert.equal(run.client.connectionsOpened, 12, `${run.mode}: client opened`)
    assert.equal(accepts, 12, `${run.mode}: accepts ${run.listeners.map(l => l.accepts).join('/')}`)
    assert.equal(run.accounting.acceptsMatch, true, run.accounting.note)
    assert.ok(run.accounting.requestDifference >= 0 && run.accounting.requestDifference <= 12, `${run.mode}: ${run.accounting.note}`)
    assert.equal(run.listeners.length, 3)
    // A listener may get none of 12 connections (cluster-os skews; hashing leaves one out 2% of the time): whoever was given some served them.
    assert.ok(run.listeners.every(l => (l.accepts === 0 || l.requests > 0) && l.cpuMs >= 0), `${run.mode}: ${run.listeners.map(l => `${l.accepts}/${l.requests}`).join(' ')}`)
    const pids = new Set(run.listeners.map(l => l.pid))
    if (run.mode === 'threads-rr') assert.deepEqual(run.listeners.map(l => l.accepts), [4, 4, 4], 'threads-rr: the host hands the 12 connections to the 3 threads in turn')
    if (run.mode.startsWith('threads')) {
      assert.equal(pids.size, 1, 'threads: one process')
      if (process.platform === 'linux') assert.equal(new Set(run.listeners.map(l => l.tid)).size, 3, 'threads: three kernel threads, each named')
      assert.ok(run.listeners.some(l => l.cpuMs > 0), 'threads: each thread\'s own CPU time, not all zero')
      assert.ok((run.memory?.processes ?? 0) === 1 && (run.memory?.rssBytes ?? 0) > 0, `threads: memory of the one process: ${JSON.stringify(run.memory)}`)
    } else {
      assert.equal(pids.size, 3, `${run.mode}: three processes`)
      assert.equal(run.memory?.processes, 3, `${run.mode}: memory summed over its processes`)
    }
    if (run.mode.startsWith('cluster')) assert.equal(helperCpuIn(run.samples)?.pids.length, 1, `${run.mode}: the cluster primary's CPU accounted`)
    else assert.equal(helperCpuIn(run.samples), undefined, `${run.mode}: no helper process`)
  }
})

/** Listening sockets on `port` and the processes holding them, as ss sees them. */
function listening (port: number): { sockets: number, pids: number } {
  const lines = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n').filter(l => l !== '')
  return { sockets: lines.length, pids: new Set(lines.flatMap(l => [...l.matchAll(/pid=(\d+)/g)].map(m => m[1]))).size }
}

test('the kernel\'s view (ss): cluster-os one socket shared by the primary and its workers; cluster-reuseport, threads and bound-socket one socket per listener', { skip: process.platform !== 'linux' && 'ss is Linux' }, async () => {
  const expected: Record<string, { sockets: number, pids: number }> = { threads: { sockets: 3, pids: 1 }, 'cluster-os': { sockets: 1, pids: 4 }, 'cluster-reuseport': { sockets: 3, pids: 3 }, 'bound-socket': { sockets: 3, pids: 3 }, 'threads-rr': { sockets: 1, pids: 1 } }
  for (const mode of runnable) {
    const cli = startCli(['serve', '--mode', mode, '--workers', '3', '--port', '0', '--out', out])
    try {
      const m = await waitForStderr(cli, /serving \S+ .* on 127\.0\.0\.1:(\d+)/, 30_000)
      assert.deepEqual(listening(Number(m[1])), expected[mode], mode)
    } finally {
      cli.kill('SIGINT')
      await exited(cli)
    }
  }
})

test('threads: a thread that throws ends the run with one line naming it; a --handler that throws in a thread, or cannot run in one, is bad input; nothing left running', async () => {
  const dir = scratch('rb-thread-bad-')
  try {
    const cases: Array<[string, string, number, RegExp]> = [
      ['crash.mjs', 'import { threadId } from "node:worker_threads"\nif (threadId === 2) setTimeout(() => { throw new Error("boom in a thread") }, 300)\nexport default (req, res) => res.end("ok")\n', 1,
        /^reuseport-bench: .*listener thread 1 ended: boom in a thread$/m],
      ['throws.mjs', 'export default function (req, res) { throw new Error("bad handler") }\n', 2, /^reuseport-bench: .*listener thread \d ended: --handler .*throws\.mjs: threw: bad handler$/m],
      ['chdir.mjs', 'process.chdir("/")\nexport default (req, res) => res.end("ok")\n', 2, /--handler .*chdir\.mjs: cannot run in a worker thread \(mode threads\): .*not supported in workers; run it in a process mode/]
    ]
    for (const [name, code, exit, re] of cases) {
      writeFileSync(path.join(dir, name), code)
      const r = await runCli(['run', '--trials', '1', '--modes', 'threads', '--handler', path.join(dir, name), '--workers', '2', '--connections', '4', '--duration', '2', '--warmup', '0', '--out', out], 60_000)
      assert.equal(r.code, exit, `${name}: ${r.stderr}`)
      assert.match(r.stderr, re, name)
      assert.ok(!/\n\s+at /.test(r.stderr), `${name}: no stack`)
      assert.deepEqual(tagHolders(r.tag), [], `${name}: nothing left running`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a mode the listeners\' Node lacks is skipped with the reason, and the rest run', { skip: hasBoundSocket(process.version) && 'this Node has every mode' }, async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'bound-socket,reuseport', '--workers', '2', '--connections', '2', '--duration', '0.5', '--warmup', '0', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.deepEqual(doc.skipped, [{ what: 'mode bound-socket', reason: `bound-socket needs net.BoundSocket (Node 24.19+ or 26.4+) for the listeners, which run ${process.version} (--node PATH runs them under another Node)` }])
  assert.deepEqual(doc.runs.map(x => x.mode), ['reuseport'])
})

test('threads-rr where the listeners\' Node cannot move a socket to a thread: skipped with the reason, and the rest run', { skip: hasSocketTransfer(process.version) && 'this Node can (the runs above have threads-rr)' }, async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'threads-rr,reuseport', '--workers', '2', '--connections', '2', '--duration', '0.5', '--warmup', '0', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.deepEqual(doc.skipped, [{ what: 'mode threads-rr', reason: `threads-rr needs Node 24.20+ or 26.6+ for the listeners (moving an accepted socket to a worker thread through postMessage), which run ${process.version} (--node PATH runs them under another Node)` }])
  assert.deepEqual(doc.runs.map(x => x.mode), ['reuseport'])
})

test('threads: each thread\'s CPU time agrees with /proc/<pid>/task/<tid>/stat read from outside, and every thread runs on the listener CPUs', { skip: process.platform !== 'linux' && '/proc is Linux' }, async () => {
  const cpus = allowedCpus()
  const listenerCpus = cpus.length > 1 ? [cpus[cpus.length - 1] ?? 0] : cpus
  const g = await ListenerGroup.start({ mode: 'threads', workers: 2, host: '127.0.0.1', port: 0, backlog: 511, instrument: true, cpus: listenerCpus })
  try {
    // From the reset on (the thread's start-up, before its counters began, is the kernel's alone).
    const tidsOf = (snaps: ReadonlyArray<{ pid: number, tid?: number }>): Array<[number, number]> => snaps.map(s => [s.pid, s.tid ?? -1])
    const kernelMs = (pid: number, tid: number): number => (statTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')) ?? -1) * 1000 / USER_HZ
    const before = new Map(tidsOf(await g.request('reset')).map(([pid, tid]) => [tid, kernelMs(pid, tid)]))
    const agent = new http.Agent({ keepAlive: false })
    const until = Date.now() + 1500
    await Promise.all([0, 1, 2, 3].map(async () => {
      while (Date.now() < until) {
        await new Promise<void>((resolve, reject) => http.get({ host: '127.0.0.1', port: g.port, agent }, res => { res.resume(); res.on('end', resolve) }).on('error', reject))
      }
    }))
    const snaps = await g.request('stats')
    assert.equal(before.size, 2, 'two threads')
    for (const s of snaps) {
      assert.ok(s.tid !== undefined && s.tid !== s.pid, `listener ${s.index}: its own thread`)
      const kernel = kernelMs(s.pid, s.tid) - (before.get(s.tid) ?? NaN)
      const ours = (s.stats.cpuUserUs + s.stats.cpuSystemUs) / 1000
      assert.ok(s.stats.accepts > 0 && kernel > 50, `listener ${s.index}: ${s.stats.accepts} accepts, ${kernel} ms of CPU`)
      // Two readings of 10 ms ticks on each side: within 40 ms (and 5%).
      assert.ok(Math.abs(ours - kernel) <= 40 + 0.05 * kernel, `listener ${s.index} (tid ${s.tid}): we say ${ours.toFixed(1)} ms, the kernel ${kernel} ms`)
      assert.deepEqual(allowedCpus(s.tid), listenerCpus, `listener ${s.index}: pinned with its process`)
    }
  } finally {
    await g.stop()
  }
})
