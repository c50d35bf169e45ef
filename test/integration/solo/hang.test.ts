// A phase that hangs fails the run at its deadline, naming the phase and the
// process; Ctrl-C and SIGTERM end a run within 2 s even then; nothing is left
// running however the run ends. Phases are made to hang for real: SIGSTOP of a
// listener or of the load generator.
import { SAME_SIGNAL_MS } from '../../../src/cli/common.js'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { allGone, descendants, exited, startCli, waitForDescendant, waitForStderr } from '../../helpers.js'
import type { ResultDoc } from '../../../src/types/docs.js'
import { scratch } from '../../scratch.js'

const out = scratch('rb-hang-')
test.after(() => rmSync(out, { recursive: true, force: true }))

// Cells, one after another: these tests stop one cell's processes at a known phase.
const RUN = ['--interleave', 'cells', '--workers', '2', '--connections', '4', '--warmup', '0', '--pause', '0']

function stderrOf (cli: ReturnType<typeof startCli>): () => string {
  let text = ''
  cli.stderr?.on('data', (d: Buffer) => { text += d.toString() })
  return () => text
}

/** Starts a run of `mode` (a list: the last one), waits for its measured load, and SIGSTOPs one of its listeners. */
async function runWithStoppedListener (mode: string, durationSec: number, dir = out): Promise<{ cli: ReturnType<typeof startCli>, kids: number[], err: () => string, victim: number }> {
  const cli = startCli(['run', '--trials', '1', '--modes', mode, ...RUN, '--duration', String(durationSec), '--out', dir])
  const err = stderrOf(cli)
  await waitForStderr(cli, new RegExp(`${mode.split(",").pop() ?? mode}: load ${durationSec} s`))
  const kids = descendants(cli.pid ?? 0)
  const victim = await waitForDescendant(cli.pid ?? 0, 'workers/listener.js')
  process.kill(victim, 'SIGSTOP')
  return { cli, kids, err, victim }
}

/** The deadline a phase's line names: `base` s on a quiet host, times the host's pace measured before the run on a busy one (at least the base). */
function assertDeadline (text: string, head: string, base: number, tail: string): void {
  const m = new RegExp(`${head} missed its deadline of (\\d+\\.\\d) s: ${tail}`).exec(text)
  assert.ok(m !== null, text)
  assert.ok(Number(m[1]) >= base, `a deadline of ${m[1]} s, below the ${base} s of a quiet host`)
}

function onlyResult (dir: string): ResultDoc {
  const folders = readdirSync(dir).filter(f => !f.startsWith('.') && f !== 'latest' && f !== 'latest-partial')
  assert.equal(folders.length, 1, folders.join(','))
  return JSON.parse(readFileSync(path.join(dir, folders[0] ?? '', 'result.json'), 'utf8')) as ResultDoc
}

test('a listener that stops answering: the stats phase misses its deadline, named with the pid; the finished cell is kept', async () => {
  const dir = mkdtempSync(path.join(out, 'stats-'))
  const { cli, kids, err, victim } = await runWithStoppedListener('single,reuseport', 1, dir)
  const { code } = await exited(cli, 20_000)
  assert.equal(code, 1, err())
  assertDeadline(err(), "phase 'stats' of reuseport \\(2 workers, 4 connections\\)", 5, `listener \\d \\(pid ${victim}\\) did not answer`)
  assert.ok(await allGone(kids), 'every process ended, the stopped one included')
  const doc = onlyResult(dir)
  assert.equal(doc.status, 'partial')
  assert.deepEqual(doc.runs.map(r => r.mode), ['single'])
  assert.equal(doc.failure?.code, 'RB_PHASE_TIMEOUT')
})

test('a load that does not end: the load phase misses its deadline, naming the load generator', async () => {
  const dir = mkdtempSync(path.join(out, 'load-'))
  const cli = startCli(['run', '--trials', '1', '--modes', 'cluster', ...RUN, '--duration', '1', '--out', dir])
  const err = stderrOf(cli)
  await waitForStderr(cli, /cluster: load 1 s/)
  const loadgen = await waitForDescendant(cli.pid ?? 0, 'workers/loadgen.js')
  const kids = descendants(cli.pid ?? 0)
  process.kill(loadgen, 'SIGSTOP')
  const { code } = await exited(cli, 20_000)
  assert.equal(code, 1, err())
  assertDeadline(err(), "phase 'load' of cluster \\(2 workers, 4 connections\\)", 6.1, `the load generator \\(pid ${loadgen}\\) did not finish`)
  assert.ok(await allGone(kids))
  assert.deepEqual(readdirSync(dir), [], 'no cell finished: no result and no empty folder')
})

for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
  test(`${sig} while a phase hangs ends the run within 2 s (exit ${code}), nothing left`, async () => {
    const { cli, kids } = await runWithStoppedListener('reuseport', 1)
    await new Promise(r => setTimeout(r, 1500)) // now in the stats phase, waiting for the stopped listener
    const t0 = Date.now()
    cli.kill(sig)
    const r = await exited(cli, 5000)
    assert.equal(r.code, code)
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`)
    assert.ok(await allGone(kids, 2000))
  })
}

test('a deliberate second Ctrl-C (past the 500 ms in which a repeat is the same request) ends serve at once while it waits for a stopped listener', async () => {
  const cli = startCli(['serve', '--mode', 'reuseport', '--workers', '2', '--port', '0', '--out', out])
  const err = stderrOf(cli)
  await waitForStderr(cli, /on 127\.0\.0\.1:\d+/)
  const kids = descendants(cli.pid ?? 0)
  const victim = await waitForDescendant(cli.pid ?? 0, 'workers/listener.js')
  process.kill(victim, 'SIGSTOP') // its final figures never come: the stop waits for them
  cli.kill('SIGINT')
  await new Promise(r => setTimeout(r, SAME_SIGNAL_MS + 100))
  const t0 = Date.now()
  cli.kill('SIGINT')
  const r = await exited(cli, 5000)
  assert.equal(r.code, 130)
  assert.ok(Date.now() - t0 < 700, `took ${Date.now() - t0} ms after the second`)
  assert.match(err(), /SIGINT again: killed every process of the run/)
  assert.ok(await allGone(kids, 2000))
})

test('SIGKILL of the orchestrator while a listener is stopped leaves nothing (children die with their parent)', async () => {
  const { cli, kids } = await runWithStoppedListener('shared', 5)
  cli.kill('SIGKILL')
  await exited(cli)
  assert.ok(await allGone(kids, 2000), `left: ${kids.join(',')}`)
})

test('the cluster primary killed mid-run fails the run and leaves no worker', async () => {
  const cli = startCli(['run', '--trials', '1', '--modes', 'cluster', ...RUN, '--duration', '5', '--out', out])
  const err = stderrOf(cli)
  await waitForStderr(cli, /cluster: load 5 s/)
  const kids = descendants(cli.pid ?? 0)
  const primary = await waitForDescendant(cli.pid ?? 0, 'workers/cluster-primary.js')
  process.kill(primary, 'SIGKILL')
  const { code } = await exited(cli, 8000)
  assert.equal(code, 1)
  assert.match(err(), new RegExp(`listener process ${primary} exited unexpectedly \\(code null, signal SIGKILL\\)`))
  assert.ok(await allGone(kids, 2000))
})

test('SIGTERM to the process group of a run (kill -- -PGID) ends it as one SIGTERM: exit 143, nothing left', async () => {
  const cli = startCli(['run', '--trials', '1', '--modes', 'reuseport', ...RUN, '--duration', '5', '--out', out], true)
  await waitForStderr(cli, /reuseport: load 5 s/)
  const kids = descendants(cli.pid ?? 0)
  process.kill(-(cli.pid ?? 0), 'SIGTERM')
  const r = await exited(cli, 5000)
  assert.equal(r.code, 143)
  assert.ok(await allGone(kids, 2000))
})
