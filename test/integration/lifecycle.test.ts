// Nothing is left running and every port is released within 2 s, however a
// run ends: normally, SIGINT, SIGTERM, SIGKILL of the orchestrator, a listener
// crashing, the load generator failing.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { closeSocket, openSocket } from '../../src/native/index.js'
import { allGone, descendants, exited, runCli, startCli, waitForDescendant, waitForStderr } from '../helpers.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-life-')
test.after(() => rmSync(out, { recursive: true, force: true }))

/** Resolves true once `port` can be bound again without SO_REUSEPORT (nobody listens on it). */
async function portReleased (port: number, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs
  for (;;) {
    try {
      closeSocket(openSocket({ host: '127.0.0.1', port, reuseaddr: true, backlog: 1 }))
      return true
    } catch {
      if (Date.now() > end) return false
      await new Promise(r => setTimeout(r, 50))
    }
  }
}

async function assertClean (kids: number[], port: number): Promise<void> {
  assert.ok(kids.length > 0, 'no process to check: the list was taken too early')
  assert.ok(await allGone(kids, 2000), `still alive after 2 s: ${kids.join(',')}`)
  assert.ok(await portReleased(port), `port ${port} still held after 2 s`)
}

test('normal end: no process left, port released', async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport,shared', '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--pause', '0', '--out', out, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.equal(doc.status, 'complete')
  for (const run of doc.runs) await assertClean(run.listeners.map(l => l.pid), run.port)
})

for (const mode of ['reuseport', 'shared', 'cluster'] as const) {
  test(`SIGKILL of the orchestrator (serve) leaves no ${mode} listener alive`, async () => {
    const cli = startCli(['serve', '--mode', mode, '--workers', '3', '--port', '0', '--out', out])
    const m = await waitForStderr(cli, /serving .* on 127\.0\.0\.1:(\d+) \(pids [\d, ]+\)/)
    const kids = descendants(cli.pid ?? 0)
    assert.ok(kids.length >= 3, `listeners running: ${kids.join(',')}`)
    cli.kill('SIGKILL')
    await exited(cli)
    await assertClean(kids, Number(m[1]))
  })
}

test('SIGKILL of the orchestrator during a run', async () => {
  const cli = startCli(['run', '--interleave', 'cells', '--trials', '1', '--modes', 'cluster', '--workers', '2', '--connections', '4', '--duration', '30', '--warmup', '0', '--out', out])
  const m = await waitForStderr(cli, /listening on port (\d+)[\s\S]*load 30 s/)
  const kids = descendants(cli.pid ?? 0)
  // The primary, its 2 workers and the load generator at least: an empty list would make the check below pass vacuously.
  assert.ok(kids.length >= 4, `children of the run before SIGKILL: ${kids.join(',')}`)
  cli.kill('SIGKILL')
  await exited(cli)
  await assertClean(kids, Number(m[1]))
})

test('serve: SIGINT stops the listeners and prints per-process stats', async () => {
  const cli = startCli(['serve', '--mode', 'reuseport', '--workers', '2', '--port', '0', '--json', '--out', out])
  let stdout = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  // Once it says it serves (a fixed wait was too short when other tests ran beside it: the signal came before serve took it).
  await waitForStderr(cli, /serving reuseport .*Ctrl-C to stop/, 30_000)
  const kids = descendants(cli.pid ?? 0)
  cli.kill('SIGINT')
  const { code } = await exited(cli, 5000)
  assert.equal(code, 130, 'a signal ends serve with 128 + its number, Ctrl-C too')
  const doc = JSON.parse(stdout) as { port: number, listeners: Array<{ accepts: number }> }
  assert.equal(doc.listeners.length, 2)
  await assertClean(kids, doc.port)
})

for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${sig} during a run stops everything within 2 s; the finished mode is kept as a partial result`, async () => {
    const dir = mkdtempSync(path.join(out, 'sig-'))
    const cli = startCli(['run', '--interleave', 'cells', '--trials', '1', '--modes', 'single,reuseport', '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--pause', '0', '--out', dir])
    let stderr = ''
    cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
    const m = await waitForStderr(cli, /reuseport: 2 listening on port (\d+)/)
    const kids = descendants(cli.pid ?? 0)
    const t0 = Date.now()
    cli.kill(sig)
    const r = await exited(cli, 5000)
    assert.equal(r.code, code)
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`)
    await assertClean(kids, Number(m[1]))
    assert.match(stderr, new RegExp(`interrupted by ${sig}`))
    // the completed single-process mode survives as a valid, partial result; latest is not moved to it
    const folders = readdirSync(dir).filter(f => !f.startsWith('.') && f !== 'latest-partial')
    assert.equal(folders.length, 1, folders.join(','))
    assert.equal(readlinkSync(path.join(dir, 'latest-partial')), folders[0], 'latest-partial points at the run cut short')
    const doc = JSON.parse(readFileSync(path.join(dir, folders[0] ?? '', 'result.json'), 'utf8')) as ResultDoc
    assert.equal(doc.status, 'partial')
    assert.deepEqual(doc.runs.map(x => x.mode), ['single'])
    assert.match(doc.failure?.message ?? '', new RegExp(sig))
    assert.equal(existsSync(path.join(dir, 'latest')), false)
  })
}

/** A 30 s run started and under load: the CLI, its stderr so far, its port and its children then. */
async function underLoad (mode: string, workers: number, connections: number): Promise<{ cli: ReturnType<typeof startCli>, stderr: () => string, port: number, kids: number[] }> {
  const cli = startCli(['run', '--interleave', 'cells', '--trials', '1', '--modes', mode, '--workers', String(workers), '--connections', String(connections), '--duration', '30', '--warmup', '0', '--out', out])
  let stderr = ''
  cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const m = await waitForStderr(cli, /listening on port (\d+)[\s\S]*load 30 s/)
  return { cli, stderr: () => stderr, port: Number(m[1]), kids: descendants(cli.pid ?? 0) }
}

test('a listener dying mid-run fails the run with a clear message and stops the others', async () => {
  const { cli, stderr, port, kids } = await underLoad('reuseport', 3, 6)
  const victim = kids[1]
  assert.ok(victim !== undefined)
  process.kill(victim, 'SIGKILL')
  const { code } = await exited(cli, 8000)
  assert.equal(code, 1)
  assert.match(stderr(), new RegExp(`listener process ${victim} exited unexpectedly \\(code null, signal SIGKILL\\)`))
  await assertClean(kids, port)
})

test('the load generator failing fails the run and stops the listeners', async () => {
  const { cli: child, stderr, port, kids } = await underLoad('shared', 2, 4)
  const loadgen = await waitForDescendant(child.pid ?? 0, 'workers/loadgen.js')
  process.kill(loadgen, 'SIGKILL')
  const { code } = await exited(child, 8000)
  assert.equal(code, 1)
  assert.match(stderr(), new RegExp(`load generator \\(pid ${loadgen}\\) exited \\(code null, signal SIGKILL\\)`))
  await assertClean(kids, port)
})

test('serve: SIGTERM to its process group (kill -- -PGID, systemd) prints every listener\'s figures and exits 143', async () => {
  const cli = startCli(['serve', '--mode', 'cluster', '--workers', '2', '--port', '0', '--json', '--out', out], true)
  let stdout = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  // With --json the address still comes on stderr as soon as the listeners are ready (the only way to learn a port 0).
  const m = await waitForStderr(cli, /serving cluster with 2 listener processes on 127\.0\.0\.1:(\d+)/)
  const port = Number(m[1])
  for (let i = 0; i < 3; i++) await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } }).then(r => r.text())
  const kids = descendants(cli.pid ?? 0)
  process.kill(-(cli.pid ?? 0), 'SIGTERM')
  const { code } = await exited(cli, 5000)
  assert.equal(code, 143)
  const doc = JSON.parse(stdout) as { port: number, listeners: Array<{ accepts: number, requests: number }>, missing?: string }
  assert.equal(doc.port, port)
  assert.equal(doc.listeners.length, 2)
  assert.equal(doc.missing, undefined)
  assert.equal(doc.listeners.reduce((a, l) => a + l.requests, 0), 3)
  await assertClean(kids, port)
})

test('five runs started together into one --out leave five complete results in five folders', async () => {
  const dir = mkdtempSync(path.join(out, 'five-'))
  const runs = await Promise.all([1, 2, 3, 4, 5].map(() => runCli(['run', '--trials', '1', '--modes', 'single', '--connections', '2', '--duration', '0.3', '--warmup', '0', '--out', dir, '--json'], 60_000)))
  for (const r of runs) assert.equal(r.code, 0, r.stderr)
  const folders = readdirSync(dir).filter(f => f !== 'latest' && !f.startsWith('.'))
  assert.equal(folders.length, 5, folders.join(','))
  const docs = folders.map(f => JSON.parse(readFileSync(path.join(dir, f, 'result.json'), 'utf8')) as ResultDoc)
  assert.ok(docs.every(d => d.status === 'complete' && d.runs.length === 1))
  // each printed result is the one saved in its own folder
  assert.deepEqual(new Set(docs.map(d => d.runs[0]?.listeners[0]?.pid)), new Set(runs.map(r => (JSON.parse(r.stdout) as ResultDoc).runs[0]?.listeners[0]?.pid)))
})
