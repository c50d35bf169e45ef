// eBPF steering against the real kernel (topology/steer): every policy through the verifier, the kernel's
// fallback when the chosen socket is not there, a stall measured with hash and least-loaded side by side,
// nothing left in the kernel after a run, a Ctrl-C, a listener crash or a SIGKILL of the orchestrator, and
// a host that does not allow it (capabilities dropped) skipping the steered arm with the reason.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import { bpfMapCreate, bpfProgLoad, closeSocket, localAddress, openSocket } from '../../../src/native/index.js'
import { BPF, loadBytes } from '../../../src/kernel/bpf/layout.js'
import { EbpfGroupSteering, steeringObjectsLeft } from '../../../src/topology/steer/ebpf.js'
import { STEER_POLICIES } from '../../../src/topology/steer/policies.js'
import { assembleProgram } from '../../../src/kernel/bpf/programs.js'
import { ebpfSteeringProblem } from '../../../src/kernel/bpf/probe.js'
import type { ResultDoc } from '../../../src/types/docs.js'
import { allGone, BIN, descendantsRunning, exited, runCli, startCli, waitForStderr } from '../../helpers.js'
import { scratch } from '../../scratch.js'

const why = ebpfSteeringProblem()
const skip = why === undefined ? false : `eBPF steering cannot run here: ${why}`
const out = scratch('rb-steer-')
test.after(() => rmSync(out, { recursive: true, force: true }))

/** Waits (bounded) until the kernel has freed every program and map of ours; the objects left when it gives up. */
async function leftAfter (ms = 3000): Promise<string> {
  const until = Date.now() + ms
  for (;;) {
    const left = steeringObjectsLeft()
    if (left.progs.length + left.maps.length === 0 || Date.now() > until) return [...left.progs, ...left.maps].map(o => `${o.name} (id ${o.id})`).join(', ')
    await sleep(100)
  }
}

test('every policy passes the kernel\'s verifier for groups of 1 to 8, 64 and 256', { skip }, () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 64, 256]) {
    for (const p of STEER_POLICIES) {
      if (p.body === undefined) continue
      const socks = bpfMapCreate({ type: BPF.mapReuseportSockarray, keySize: 4, valueSize: 8, maxEntries: n, flags: 0, name: 'rb_socks' })
      const load = bpfMapCreate({ type: BPF.mapArray, keySize: 4, valueSize: loadBytes(n), maxEntries: 1, flags: BPF.fMmapable, name: 'rb_load' })
      try {
        closeSocket(bpfProgLoad(BPF.progSkReuseport, assembleProgram(p.body, { sockarrayFd: socks, loadFd: load, groupSize: n }), 'rb_steer'))
      } catch (err) {
        assert.fail(`${p.name} for ${n}: ${(err as Error).message} ${(err as { verifierLog?: string }).verifierLog ?? ''}`)
      } finally {
        closeSocket(socks)
        closeSocket(load)
      }
    }
  }
})

test('a chosen socket that is not in the array is left to the kernel\'s hash: every connection still arrives, and the program counts the fallbacks', { skip }, async () => {
  const a = openSocket({ host: '127.0.0.1', port: 0, reuseaddr: true, reuseport: true, backlog: 64 })
  const port = localAddress(a).port
  const b = openSocket({ host: '127.0.0.1', port, reuseaddr: true, reuseport: true, backlog: 64 })
  // Socket a made the objects for a group of 2 and took slot 0; b never joins slot 1.
  const steer = EbpfGroupSteering.open({ kind: 'ebpf', policy: 'least-loaded', groupSize: 2 }, a, 0)
  const got = [0, 0]
  const servers = [a, b].map((fd, i) => net.createServer(s => { got[i] = (got[i] ?? 0) + 1; s.destroy() }).listen({ fd }))
  try {
    const total = 60
    for (let k = 0; k < total; k++) {
      await new Promise<void>((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve() })
        c.on('error', reject)
      })
    }
    const until = Date.now() + 3000
    while ((got[0] ?? 0) + (got[1] ?? 0) < total && Date.now() < until) await sleep(20)
    assert.equal((got[0] ?? 0) + (got[1] ?? 0), total, `arrived ${got.join('+')}`)
    const s = steer.state()
    assert.equal(s.runs, total)
    assert.ok(s.fallbacks > 0, 'least-loaded chose the empty slot for some (its load reads 0)')
    assert.equal((s.slots[0]?.assigned ?? 0) + s.fallbacks, s.runs, 'every run either selected socket 0 or fell back')
    assert.equal(s.slots[1]?.assigned, 0)
  } finally {
    steer.close()
    for (const srv of servers) srv.close()
  }
  assert.equal(await leftAfter(), '', 'the program and maps are freed once the sockets and fds are closed')
})

async function runJson (args: string[]): Promise<ResultDoc> {
  const r = await runCli(['run', ...args, '--warmup', '0', '--pause', '0', '--out', out, '--json'], 120_000)
  assert.equal(r.code, 0, r.stderr)
  return JSON.parse(r.stdout) as ResultDoc
}

test('stall: with least-loaded the stalled listener\'s share of new connections during its stalls falls below hashing\'s, beyond both intervals; accounting stays exact', { skip }, async () => {
  const doc = await runJson(['--modes', 'reuseport,reuseport', '--steer', 'reuseport#2=least-loaded', '--workers', '3', '--connections', '12', '--duration', '3', '--stall', '0:100:400', '--churn', '1', '--trials', '1'])
  const hash = doc.runs.find(r => r.mode === 'reuseport')
  const ll = doc.runs.find(r => r.mode === 'reuseport#2')
  assert.ok(hash !== undefined && ll !== undefined)
  const h = hash.scenario.stallShare
  const l = ll.scenario.stallShare
  assert.ok(h !== undefined && l !== undefined && h.lo !== null && l.hi !== null, JSON.stringify({ h, l }))
  assert.ok(l.hi < h.lo, `least-loaded ${l.share} [${l.lo}, ${l.hi}] against hash ${h.share} [${h.lo}, ${h.hi}]`)
  assert.equal(hash.scenario.steer, undefined, 'the first arm ran on the kernel\'s hash')
  const st = ll.scenario.steer
  assert.equal(st?.kind, 'least-loaded')
  assert.equal(st?.detached, 'ok')
  const p = st?.program
  assert.ok(p !== undefined)
  assert.equal(p.slots.reduce((a, s) => a + s.assigned, 0) + p.fallbacks, p.runs, 'every run placed one connection')
  assert.ok(p.slots.every(s => s.accepted === s.assigned && s.open === 0), `at the end every connection placed was taken and closed: ${JSON.stringify(p.slots)}`)
  for (const r of [hash, ll]) assert.ok(r.accounting.acceptsMatch || r.accounting.explained, `${r.mode}: ${r.accounting.note}`)
  assert.ok(ll.client.errors === 0 && ll.client.responses > 0)
  assert.equal(await leftAfter(), '', 'nothing left in the kernel after the run')
})

test('--dump-steering prints the program and its map at the end', { skip }, async () => {
  const r = await runCli(['run', '--modes', 'reuseport', '--steer', 'two-choices', '--dump-steering', '--workers', '2', '--connections', '4', '--churn', '2', '--duration', '1', '--warmup', '0', '--trials', '1', '--out', out], 60_000)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /steering programs \(--dump-steering\):\nreuseport trial 1: two-choices, \d+ instructions\n {2}0: r6 = r1\n/)
  assert.match(r.stdout, /call 82\n/)
  assert.match(r.stdout, /load map at the end \(socket: sent, taken, open\):\n {4}0: \d+, \d+, 0\n {4}1: \d+, \d+, 0\n/)
})

test('restart: every replacement joins the program, which stays attached through the restart; with tcp_migrate_req=1 no connection is lost', { skip }, async () => {
  const doc = await runJson(['--scenario', 'restart', '--modes', 'reuseport', '--steer', 'least-loaded', '--workers', '3', '--connections', '6', '--duration', '2', '--trials', '1'])
  assert.ok(doc.runs.length > 0)
  for (const r of doc.runs) {
    const name = r.variant ?? 'main'
    const p = r.scenario.steer?.program
    assert.ok(p !== undefined, `${name}: steered`)
    assert.equal(r.scenario.restart?.events.length, 3, `${name}: every listener replaced`)
    assert.ok(r.listeners.every(l => (l.replacedPids ?? []).length === 1), `${name}: each index served by two processes`)
    // Listener 0's replacement detached it at the end: it was still attached, and the replacement held the group.
    assert.equal(r.scenario.steer?.detached, 'ok', `${name}: detached by the replacement of listener 0`)
    assert.equal(p.slots.reduce((a, x) => a + x.assigned, 0) + p.fallbacks, p.runs, `${name}: every run placed one connection`)
    assert.ok(p.slots.every(x => x.accepted === x.assigned), `${name}: every replacement took its slot over and its queue: ${JSON.stringify(p.slots)}`)
    if (r.variant !== undefined) assert.equal(r.scenario.restart?.errorsInWindow, 0, `${name}: the kernel moved what waited, the program lost nothing`)
  }
  assert.equal(await leftAfter(), '', 'nothing left in the kernel after the run')
})

/** Starts a long steered run and waits until its load is on; the CLI, and its listeners' pids. */
async function steeredRun (): Promise<{ cli: ReturnType<typeof startCli>, listeners: number[] }> {
  const cli = startCli(['run', '--modes', 'reuseport', '--steer', 'least-loaded', '--workers', '3', '--connections', '6', '--churn', '1', '--duration', '30', '--warmup', '0', '--out', out])
  await waitForStderr(cli, /load 30 s/)
  const listeners = descendantsRunning(cli.pid ?? -1, 'workers/listener.js')
  const live = steeringObjectsLeft()
  assert.ok(live.progs.length === 1 && live.maps.length === 2, `during the run: ${live.progs.length} programs, ${live.maps.length} maps of ours`)
  return { cli, listeners }
}

test('nothing is left in the kernel after Ctrl-C, a listener crash, or a SIGKILL of the orchestrator', { skip }, async () => {
  for (const how of ['SIGINT', 'listener crash', 'SIGKILL'] as const) {
    const { cli, listeners } = await steeredRun()
    if (how === 'listener crash') process.kill(listeners[1] ?? -1, 'SIGKILL')
    else cli.kill(how)
    const end = await exited(cli, 20_000)
    if (how === 'SIGKILL') assert.equal(end.signal, 'SIGKILL')
    else assert.ok(end.code === 1 || end.code === 130, `${how}: exit ${String(end.code)}`)
    assert.ok(await allGone(listeners, 5000), `${how}: listeners gone`)
    assert.equal(await leftAfter(), '', `${how}: nothing left`)
  }
})

test('where the kernel refuses eBPF (capabilities dropped), the steered arm is skipped with the reason and the others run', { skip: skip !== false ? skip : process.getuid?.() !== 0 ? 'needs root to drop capabilities' : false }, async (t) => {
  try {
    execFileSync('setpriv', ['--version'])
  } catch {
    t.skip('setpriv (util-linux) is not installed')
    return
  }
  const child = spawn('setpriv', ['--bounding-set', '-bpf,-sys_admin,-perfmon', process.execPath, BIN, 'run', '--modes', 'reuseport,reuseport', '--steer', 'reuseport#2=least-loaded', '--workers', '2', '--connections', '4', '--duration', '1', '--warmup', '0', '--trials', '1', '--out', out, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const end = await exited(child, 60_000)
  assert.equal(end.code, 0, stderr)
  const doc = JSON.parse(stdout) as ResultDoc
  assert.ok(doc.runs.length > 0 && doc.runs.every(r => r.mode === 'reuseport'), doc.runs.map(r => r.mode).join(', '))
  const skipped = doc.skipped?.find(k => k.what === 'mode reuseport#2 (--steer least-loaded)')
  assert.match(skipped?.reason ?? '', /eBPF steering needs root .*refused \(EPERM\)/)
})
