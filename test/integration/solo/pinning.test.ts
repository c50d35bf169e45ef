// CPU pinning takes effect (proc/pinning.ts): every thread of every listener
// process, the cluster primary and its workers, and the load generator, read
// back from /proc/<pid>/task/*/status while a real run loads them.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { allowedCpus, capabilities } from '../../../src/native/index.js'
import { cpuListText, resolveCpuSets } from '../../../src/proc/cpus.js'
import { descendants, exited, startCli, waitForStderr } from '../../helpers.js'
import type { TestContext } from 'node:test'
import { scratch } from '../../scratch.js'

const out = scratch('rb-pin-')
test.after(() => rmSync(out, { recursive: true, force: true }))

/** Each thread's allowed CPUs ("0", "1-3") of process `pid`, and its command line. */
function threadsOf (pid: number): { cmd: string, sets: string[] } {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
    const sets = readdirSync(`/proc/${pid}/task`).map(t => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'))?.[1] ?? '?')
    return { cmd, sets }
  } catch {
    return { cmd: '', sets: [] }
  }
}

function usable (t: TestContext): boolean {
  if (capabilities().cpuAffinity !== true) { t.skip('this OS has no CPU pinning in the addon'); return false }
  if (allowedCpus().length < 2) { t.skip('fewer than 2 CPUs allowed: nothing to split'); return false }
  return true
}

/** Starts a run of `mode`, waits for its measured load, and reads every descendant's threads. */
async function pinnedDuringLoad (mode: string, extra: string[]): Promise<Array<{ cmd: string, sets: string[] }>> {
  const cli = startCli(['run', '--trials', '1', '--modes', mode, '--workers', '2', '--connections', '4', '--duration', '2', '--warmup', '0', '--out', out, ...extra])
  try {
    await waitForStderr(cli, new RegExp(`${mode}: load 2 s`))
    return descendants(cli.pid ?? 0).map(threadsOf).filter(p => /workers\/(listener|loadgen|cluster-primary)\.js/.test(p.cmd) || /cluster/.test(p.cmd))
  } finally {
    const { code } = await exited(cli, 30_000)
    assert.equal(code, 0)
  }
}

test('by default the load generator and the listeners run on disjoint CPUs, every thread of them', async (t) => {
  if (!usable(t)) return
  const expected = resolveCpuSets('auto', 'auto', allowedCpus(), true)
  const client = cpuListText(expected.client ?? [])
  const listenerSet = cpuListText(expected.listeners ?? [])
  assert.ok(!(expected.listeners ?? []).some(c => expected.client?.includes(c)), 'the rule gives disjoint sets')
  for (const mode of ['reuseport', 'cluster']) {
    const procs = await pinnedDuringLoad(mode, [])
    const loadgen = procs.filter(p => p.cmd.includes('workers/loadgen.js'))
    const listeners = procs.filter(p => !p.cmd.includes('workers/loadgen.js'))
    assert.equal(loadgen.length, 1, procs.map(p => p.cmd).join(' | '))
    assert.ok(listeners.length >= 2, `${mode}: ${listeners.length} listener processes`)
    assert.deepEqual([...new Set(loadgen.flatMap(p => p.sets))], [client], `${mode}: the load generator's threads`)
    for (const l of listeners) {
      assert.ok(l.sets.length > 1, 'several threads read')
      assert.deepEqual([...new Set(l.sets)], [listenerSet], `${mode}: ${l.cmd}`)
    }
  }
})

test('--client-cpus and --listener-cpus as given, recorded in the result', async (t) => {
  if (!usable(t)) return
  const [a, b] = allowedCpus()
  const procs = await pinnedDuringLoad('reuseport', ['--client-cpus', String(b), '--listener-cpus', String(a)])
  for (const p of procs) assert.deepEqual([...new Set(p.sets)], [p.cmd.includes('loadgen') ? String(b) : String(a)], p.cmd)
  const doc = JSON.parse(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8')) as { runs: Array<{ cpus: unknown }>, plan: { clientCpus: unknown } }
  assert.deepEqual(doc.runs[0]?.cpus, { client: [b], listeners: [a], rule: 'as given' })
  assert.deepEqual(doc.plan.clientCpus, [b])
})
