// Nothing is left running and every port is released within 2 s, however a
// run ends: normally, SIGINT, SIGTERM, SIGKILL of the orchestrator, a listener
// crashing, the load generator failing.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { closeSocket, openSocket } from '../src/native/index.js'
import type { ResultDoc } from '../src/report/result.js'
import { spawn } from 'node:child_process'
import { allGone, BIN, descendants, exited, runCli, startCli, waitForStderr } from './helpers.js'

const out = mkdtempSync(path.join(tmpdir(), 'rb-life-'))
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
  assert.ok(await allGone(kids, 2000), `still alive after 2 s: ${kids.join(',')}`)
  assert.ok(await portReleased(port), `port ${port} still held after 2 s`)
}

test('normal end: no process left, port released', async () => {
  const r = await runCli(['run', '--modes', 'reuseport,shared', '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--pause', '0', '--out', out, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.equal(doc.status, 'complete')
  for (const run of doc.runs) await assertClean(run.listeners.map(l => l.pid), run.port)
})

for (const mode of ['reuseport', 'shared', 'cluster'] as const) {
  test(`SIGKILL of the orchestrator (serve) leaves no ${mode} listener alive`, async () => {
    const cli = startCli(['serve', '--mode', mode, '--workers', '3', '--port', '0'])
    const m = await waitForStderr(cli, /serving .* on 127\.0\.0\.1:(\d+) \(pids [\d, ]+\)/)
    const kids = descendants(cli.pid ?? 0)
    assert.ok(kids.length >= 3, `listeners running: ${kids.join(',')}`)
    cli.kill('SIGKILL')
    await exited(cli)
    await assertClean(kids, Number(m[1]))
  })
}

test('SIGKILL of the orchestrator during a run', async () => {
  const cli = startCli(['run', '--modes', 'cluster', '--workers', '2', '--connections', '4', '--duration', '30', '--warmup', '0', '--out', out])
  const m = await waitForStderr(cli, /listening on port (\d+)[\s\S]*load 30 s/)
  const kids = descendants(cli.pid ?? 0)
  cli.kill('SIGKILL')
  await exited(cli)
  await assertClean(kids, Number(m[1]))
})

test('serve: SIGINT stops the listeners and prints per-process stats', async () => {
  const cli = startCli(['serve', '--mode', 'reuseport', '--workers', '2', '--port', '0', '--json'])
  let stdout = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  await new Promise(r => setTimeout(r, 1500))
  const kids = descendants(cli.pid ?? 0)
  cli.kill('SIGINT')
  const { code } = await exited(cli, 5000)
  assert.equal(code, 0)
  const doc = JSON.parse(stdout) as { port: number, listeners: Array<{ accepts: number }> }
  assert.equal(doc.listeners.length, 2)
  await assertClean(kids, doc.port)
})

for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${sig} during a run stops everything within 2 s; the finished mode is kept as a partial result`, async () => {
    const dir = mkdtempSync(path.join(out, 'sig-'))
    const cli = startCli(['run', '--modes', 'single,reuseport', '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--pause', '0', '--out', dir])
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
    const folders = readdirSync(dir).filter(f => !f.startsWith('.'))
    assert.equal(folders.length, 1, folders.join(','))
    const doc = JSON.parse(readFileSync(path.join(dir, folders[0] ?? '', 'result.json'), 'utf8')) as ResultDoc
    assert.equal(doc.status, 'partial')
    assert.deepEqual(doc.runs.map(x => x.mode), ['single'])
    assert.match(doc.failure?.message ?? '', new RegExp(sig))
    assert.equal(existsSync(path.join(dir, 'latest')), false)
  })
}

test('a listener dying mid-run fails the run with a clear message and stops the others', async () => {
  const cli = startCli(['run', '--modes', 'reuseport', '--workers', '3', '--connections', '6', '--duration', '30', '--warmup', '0', '--out', out])
  let stderr = ''
  cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const m = await waitForStderr(cli, /listening on port (\d+)[\s\S]*load 30 s/)
  const kids = descendants(cli.pid ?? 0)
  const victim = kids[1]
  assert.ok(victim !== undefined)
  process.kill(victim, 'SIGKILL')
  const { code } = await exited(cli, 8000)
  assert.equal(code, 1)
  assert.match(stderr, new RegExp(`listener process ${victim} exited unexpectedly \\(code null, signal SIGKILL\\)`))
  await assertClean(kids, Number(m[1]))
})

test('the load generator failing fails the run and stops the listeners', async () => {
  // RB_FAULT=load (fault injection, set for this one process) makes the load generator fail 0.3 s into the load
  const child = spawn(process.execPath, [BIN, 'run', '--modes', 'shared', '--workers', '2', '--connections', '4', '--duration', '30', '--warmup', '0', '--out', out], { env: { ...process.env, RB_FAULT: 'load' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const m = await waitForStderr(child, /listening on port (\d+)/)
  const kids = descendants(child.pid ?? 0)
  const { code } = await exited(child, 8000)
  assert.equal(code, 1)
  assert.match(stderr, /load generator failed: injected fault/)
  await assertClean(kids, Number(m[1]))
})
