// Modes side by side (engine/rounds.ts), through the CLI: every mode's group up once on its own port, the
// load in slices in shuffled rounds; each slice's accounting exact against the client's counts; the idle
// groups idle; the host checked per slice; a mode named twice as two arms (A/A); a run killed mid-way keeps
// the rounds it finished and leaves no listener on any port.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { allGone, descendants, exited, runCli, startCli, waitForStderr } from '../../helpers.js'
import type { ResultDoc } from '../../../src/types/docs.js'
import { scratch } from '../../scratch.js'

const out = scratch('rb-rounds-')
test.after(() => rmSync(out, { recursive: true, force: true }))

test('side by side: each round holds every mode once; each slice accounts exactly; idle groups idle; the host checked', async () => {
  const r = await runCli(['run', '--modes', 'reuseport,shared', '--workers', '2', '--connections', '6', '--duration', '2', '--slice', '500ms',
    '--trials', '1', '--warmup', '1', '--json', '--out', out], 90_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.equal(doc.plan.interleave, 'rounds')
  assert.equal(doc.runs.length, 8, '2 modes x 4 rounds of 0.5 s')
  for (let round = 1; round <= 4; round++) {
    const here = doc.runs.filter(x => x.trial === round)
    assert.deepEqual(here.map(x => x.mode).sort(), ['reuseport', 'shared'], `round ${round}`)
    assert.deepEqual(here.map(x => x.slice?.position).sort(), [1, 2])
  }
  const ports = new Map(doc.runs.map(x => [x.mode, new Set<number>()]))
  for (const x of doc.runs) ports.get(x.mode)?.add(x.port)
  assert.deepEqual([...ports.values()].map(s => s.size), [1, 1], 'one group per mode for the whole run')
  assert.notEqual([...(ports.get('reuseport') ?? [])][0], [...(ports.get('shared') ?? [])][0], 'each on its own port')
  for (const x of doc.runs) {
    const what = `${x.mode} round ${x.trial}`
    assert.ok(x.load.durationSec === 0.5 && x.client.durationSec < 0.9, `${what}: a 0.5 s slice lasted ${x.client.durationSec} s`)
    assert.equal(x.client.connectionsOpened, 6, what)
    assert.equal(x.listeners.reduce((a, l) => a + l.accepts, 0), 6, `${what}: accepts`)
    assert.equal(x.accounting.acceptsMatch, true, what)
    assert.ok(x.accounting.requestDifference >= 0 && x.accounting.requestDifference <= 6, `${what}: ${x.accounting.note}`)
    // The other mode's two listeners waited meanwhile: a busy one would spend about 500 ms in a 0.5 s slice.
    assert.ok((x.slice?.idleCpuMs ?? 1e9) <= 100, `${what}: the idle group used ${String(x.slice?.idleCpuMs)} ms`)
    assert.equal(x.warmup?.capSec, 1, `${what}: the warm-up is recorded`)
    if (process.platform === 'linux') {
      const s = x.samples as { hostSpeed?: { perCpu?: unknown[] }, contention?: { foreignShare: number } } | undefined
      assert.ok((s?.hostSpeed?.perCpu?.length ?? 0) >= 1, `${what}: the host's speed timed`)
      assert.equal(typeof s?.contention?.foreignShare, 'number', `${what}: contention measured`)
    }
  }
  assert.match(doc.hostCheck?.statement ?? '', /^Host: /)
  assert.equal(doc.hostCheck?.unit, 'round')
  assert.equal(doc.hostCheck?.rounds, 4)
  assert.equal(doc.paired?.length, 1, 'the pair of modes compared over its rounds')
})

test('A/A: a mode given twice runs as two arms, compared like any pair', async () => {
  const r = await runCli(['run', '--modes', 'reuseport,reuseport', '--workers', '2', '--connections', '4', '--duration', '1', '--slice', '500ms',
    '--trials', '1', '--warmup', '0', '--unstable', 'keep', '--json', '--out', out], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.deepEqual(doc.plan.modes, ['reuseport', 'reuseport#2'])
  assert.deepEqual([...new Set(doc.runs.map(x => x.mode))].sort(), ['reuseport', 'reuseport#2'])
  assert.ok(doc.runs.every(x => x.socketOption === 'SO_REUSEPORT'), 'both arms run the reuseport kind')
  const pair = doc.paired?.[0]
  assert.equal(`${pair?.mode} / ${pair?.against}`, 'reuseport#2 / reuseport')
  assert.equal(pair?.throughput.pairs.length, 2)
})

test('SIGTERM mid-way: the finished rounds kept, marked partial; no listener left on any port', async () => {
  const dir = path.join(out, 'killed')
  const cli = startCli(['run', '--modes', 'reuseport,shared,cluster', '--workers', '2', '--connections', '4', '--duration', '20', '--slice', '500ms',
    '--trials', '1', '--warmup', '0', '--out', dir], true)
  await waitForStderr(cli, /\[slice 5\/120/, 40_000)
  const kids = descendants(cli.pid ?? 0)
  assert.ok(kids.length >= 7, `3 groups and a load generator were up: ${kids.length} processes`)
  process.kill(cli.pid ?? 0, 'SIGTERM')
  const r = await exited(cli, 8000)
  assert.equal(r.code, 143)
  assert.ok(await allGone(kids, 3000), 'every group, on every port, ended')
  const stamp = readdirSync(dir).find(x => x !== 'latest') ?? ''
  const doc = JSON.parse(readFileSync(path.join(dir, stamp, 'result.json'), 'utf8')) as ResultDoc
  assert.equal(doc.status, 'partial')
  assert.ok(doc.runs.length >= 4 && doc.runs.length < 120, `${doc.runs.length} slices kept`)
  assert.ok(doc.runs.every(x => x.slice !== undefined && x.accounting.acceptsMatch))
})

test('a bursty CPU hog mid-run: the rounds it changed within are named and left out, and run again with --unstable rerun', { skip: (process.platform !== 'linux' || availableParallelism() < 2) && 'needs /proc/stat and 2 CPUs' }, async () => {
  const dir = path.join(out, 'hog')
  const cli = startCli(['run', '--modes', 'reuseport,shared', '--workers', '2', '--connections', '4', '--duration', '4', '--slice', '500ms', '--trials', '1',
    '--warmup', '0', '--client-cpus', '0', '--listener-cpus', '1', '--unstable', 'rerun', '--out', dir])
  await waitForStderr(cli, /\[slice 5\//, 40_000)
  // Bursts of 400 ms every second on both CPUs for 3 s: the slices of a round see different shares (a steady hog would not).
  const bursts = "const end = Date.now() + 3000; (function tick () { if (Date.now() > end) process.exit(0); const t = Date.now(); while (Date.now() - t < 400); setTimeout(tick, 600) })()"
  const hogs = [0, 1].map(cpu => spawn('taskset', ['-c', String(cpu), process.execPath, '-e', bursts], { stdio: 'ignore' }))
  await new Promise(resolve => setTimeout(resolve, 3500))
  for (const hog of hogs) hog.kill('SIGKILL')
  const r = await exited(cli, 60_000)
  assert.equal(r.code, 0)
  const doc = JSON.parse(readFileSync(path.join(dir, 'latest', 'result.json'), 'utf8')) as ResultDoc
  const left = doc.hostCheck?.leftOut ?? []
  assert.ok(left.length >= 1, `rounds left out: ${JSON.stringify(left)}`)
  assert.ok(left.some(l => l.reasons.some(x => /other processes took from|host speed (fell|rose|moved)/.test(x))), JSON.stringify(left))
  assert.ok(doc.runs.length > 16 && doc.runs.length <= 24, `${doc.runs.length} slices: 16 planned and one round of 2 for each spoilt one, at most 4 more rounds`)
  assert.match(doc.hostCheck?.statement ?? '', /rounds left out of ratios/)
  const pairs = doc.paired?.[0]?.throughput.pairs.length ?? 0
  assert.equal(pairs, (doc.runs.length / 2) - left.length, 'the pairs are the rounds not left out')
})
