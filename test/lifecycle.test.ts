// Nothing is left running: killing the orchestrator, Ctrl-C, a listener crash.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { allGone, descendants, exited, startCli, waitForStderr } from './helpers.js'

for (const mode of ['reuseport', 'shared', 'cluster'] as const) {
  test(`SIGKILL of the orchestrator leaves no ${mode} listener alive`, async () => {
    const cli = startCli(['serve', '--mode', mode, '--workers', '3', '--port', '0'])
    await waitForStderr(cli, /serving .* \(pids [\d, ]+\)/)
    const kids = descendants(cli.pid ?? 0)
    assert.ok(kids.length >= 3, `listeners running: ${kids.join(',')}`)
    cli.kill('SIGKILL')
    await exited(cli)
    assert.ok(await allGone(kids, 2000), `still alive after 2 s: ${kids.join(',')}`)
  })
}

test('serve: SIGINT stops the listeners and prints per-process stats', async () => {
  const cli = startCli(['serve', '--mode', 'reuseport', '--workers', '2', '--port', '0', '--json'])
  let stdout = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  await new Promise(r => setTimeout(r, 1500))
  const kids = descendants(cli.pid ?? 0)
  cli.kill('SIGINT')
  const { code } = await exited(cli, 5000)
  assert.equal(code, 0)
  const doc = JSON.parse(stdout) as { listeners: Array<{ accepts: number }> }
  assert.equal(doc.listeners.length, 2)
  assert.ok(await allGone(kids))
})

test('SIGINT during a run stops everything within 2 s and writes no result', async () => {
  const cli = startCli(['run', '--modes', 'reuseport', '--workers', '2', '--connections', '4', '--duration', '30', '--warmup', '0', '--out', '/tmp/rb-never'])
  await waitForStderr(cli, /load 30 s/)
  const kids = descendants(cli.pid ?? 0)
  const t0 = Date.now()
  cli.kill('SIGINT')
  const { code } = await exited(cli, 5000)
  assert.equal(code, 130)
  assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`)
  assert.ok(await allGone(kids))
})

test('a listener dying mid-run fails the run with a clear message and stops the others', async () => {
  const cli = startCli(['run', '--modes', 'reuseport', '--workers', '3', '--connections', '6', '--duration', '30', '--warmup', '0'])
  let stderr = ''
  cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  await waitForStderr(cli, /load 30 s/)
  const kids = descendants(cli.pid ?? 0)
  const victim = kids[1]
  assert.ok(victim !== undefined)
  process.kill(victim, 'SIGKILL')
  const { code } = await exited(cli, 8000)
  assert.equal(code, 1)
  assert.match(stderr, new RegExp(`listener process ${victim} exited unexpectedly \\(code null, signal SIGKILL\\)`))
  assert.ok(await allGone(kids))
})
