// UDP through the CLI (--protocol udp): every mode that serves it, side by side, with an accounting that
// closes datagram for datagram; flows kept to one socket where the group hashes them (reuseport: the
// listeners' own count against the flows the client saw each listener answer) and read by every process
// where one socket is shared; a listener past its capacity drops what its socket cannot hold, and the
// socket drops add up with the kernel's own host-wide count (/proc/net/snmp RcvbufErrors, not ours);
// one heavy flow loads the one listener its 4-tuple hashes to; a classic BPF program steers the group;
// Ctrl-C mid-load keeps what was measured and leaves no process and no UDP socket behind; a listener's
// death fails the run naming it and leaves nothing either, the client's sockets included.
import assert from 'node:assert/strict'
import { readFileSync, rmSync } from 'node:fs'
import { test } from 'node:test'
import { procUdpRows } from '../../../src/kernel/udpTable.js'
import { hasReusePort } from '../../../src/proc/node.js'
import type { ResultDoc } from '../../../src/types/docs.js'
import { allGone, descendants, exited, runCli, startCli, tagHolders, waitForDescendant, waitForStderr } from '../../helpers.js'
import { scratch } from '../../scratch.js'

const out = scratch('rb-udp-')
test.after(() => rmSync(out, { recursive: true, force: true }))

/** The kernel's count of datagrams dropped for a full receive buffer, on this host (all sockets). */
function rcvbufErrors (): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter(l => l.startsWith('Udp:'))
  const names = (lines[0] ?? '').split(/\s+/)
  const values = (lines[1] ?? '').split(/\s+/)
  return Number(values[names.indexOf('RcvbufErrors')])
}

test('--protocol udp: every mode that serves UDP, side by side; each datagram accounted for; flows hashed or shared as the mode says; nothing left', async () => {
  const modes = ['reuseport', 'shared', 'cluster', 'single']
  const r = await runCli(['run', '--protocol', 'udp', '--modes', modes.join(','), '-w', '3', '--flows', '24', '-d', '1', '--warmup', '0', '--trials', '1', '--out', out, '--json'], 120_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.equal(doc.plan.protocol, 'udp')
  assert.deepEqual([...new Set(doc.runs.map(x => x.mode))].sort(), [...modes].sort())
  for (const run of doc.runs) {
    const what = `${run.mode}: ${run.accounting.note}`
    const d = run.accounting.datagrams
    assert.ok(d !== undefined, what)
    assert.equal(run.invalid, undefined, what)
    assert.equal(d.closes, true, what)
    assert.ok(d.answered > 0 && d.sent === d.answered + d.lost + d.unanswered, what)
    assert.equal(d.received, run.listeners.reduce((a, l) => a + (l.udp?.datagrams ?? 0), 0), what)
    assert.equal(run.client.connectionsOpened, 24, what)
    const udp = run.client.udp
    assert.ok(udp !== undefined, what)
    // The listeners' own count of flows against the flows the client saw each listener answer: two counts, one figure.
    assert.equal(run.listeners.reduce((a, l) => a + l.accepts, 0), udp.flowListeners, what)
    if (run.mode === 'reuseport' || run.mode === 'single') {
      // A SO_REUSEPORT group (or one socket read by one process) keeps each flow on one socket: the flows partition.
      assert.equal(udp.splitFlows, 0, what)
      assert.equal(run.listeners.reduce((a, l) => a + (l.udp?.flows ?? 0), 0), 24, what)
      assert.ok(run.placement !== undefined, `${run.mode}: flows set against random placement`)
    } else {
      // One socket read by every process: a flow's datagrams go to whichever reads first, so flows are not placed.
      assert.ok(udp.splitFlows > 0, what)
      assert.equal(run.placement, undefined, what)
    }
  }
  assert.deepEqual(tagHolders(r.tag), [], 'no process left')
  const ports = new Set(doc.runs.map(x => x.port))
  assert.deepEqual((procUdpRows() ?? []).filter(row => ports.has(row.port)), [], 'no UDP socket left on the ports')
})

test('--protocol udp past the listener\'s capacity: its socket drops, the accounting still closes, and the drops add up with the kernel\'s own count', async () => {
  const before = rcvbufErrors()
  const r = await runCli(['run', '--protocol', 'udp', '--modes', 'single', '--flows', '8', '--rate', '10k', '--work-us', '1000', '-d', '1', '--warmup', '0', '--trials', '1', '--out', out, '--json'], 60_000)
  const after = rcvbufErrors()
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  const d = run?.accounting.datagrams
  assert.ok(run !== undefined && d !== undefined)
  // At most 1,000 datagrams a second can be answered with 1 ms of work each: most of the 10,000 are dropped.
  assert.ok(d.drops !== null && d.drops > d.sent / 2, run.accounting.note)
  assert.equal(d.closes, true, run.accounting.note)
  assert.equal(run.invalid, undefined, 'drops explained by the accounting are what a UDP load past capacity measures')
  // The host-wide counter moves with every socket's drops: at least ours (other sockets on a shared host may add).
  assert.ok(after - before >= d.drops, `RcvbufErrors moved ${after - before}, the socket dropped ${d.drops}`)
  assert.ok(after - before <= d.drops + d.sent, `RcvbufErrors moved ${after - before}, far beyond this run's ${d.drops}`)
})

test('--heavy-flows 1:80% at a rate: in a SO_REUSEPORT group the heavy flow\'s listener takes its 80% and its share of the rest', async () => {
  const r = await runCli(['run', '--protocol', 'udp', '--modes', 'reuseport', '-w', '3', '--flows', '24', '--rate', '4k', '--heavy-flows', '1:80%', '-d', '1', '--warmup', '0', '--trials', '1', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  assert.ok(run?.accounting.datagrams !== undefined && run.accounting.datagrams.closes, run?.accounting.note)
  const received = run.listeners.map(l => l.udp?.datagrams ?? 0)
  const total = received.reduce((a, b) => a + b, 0)
  const busiest = Math.max(...received)
  // 80% of the datagrams on one flow, the rest over 23 flows hashed among 3 sockets: the busiest holds at least the 80%
  // (random hashing alone puts 80% of 24 equal flows on one of 3 sockets about once in 60,000 runs).
  assert.ok(busiest >= 0.8 * total - 0.01 * total, `busiest ${busiest} of ${total}: ${received.join('/')}`)
  assert.equal(run.client.udp?.splitFlows, 0)
})

test('node-reuseport over UDP: Node\'s own dgram reusePort sockets form a group that hashes each flow to one of them', { skip: !hasReusePort(process.version) && `this Node (${process.version}) has no dgram reusePort (22.12+, 23.1+); CI runs this file on Node 26` }, async () => {
  const r = await runCli(['run', '--protocol', 'udp', '--modes', 'node-reuseport', '-w', '2', '--flows', '16', '-d', '0.5', '--warmup', '0', '--trials', '1', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  assert.ok(run?.accounting.datagrams?.closes === true, run?.accounting.note)
  assert.equal(run.client.udp?.splitFlows, 0, 'each flow on one socket')
  assert.equal(run.listeners.reduce((a, l) => a + (l.udp?.flows ?? 0), 0), 16)
  assert.equal(new Set(run.listeners.map(l => l.udp?.socket)).size, 2, 'a socket of its own in each process')
})

test('--steer first on a UDP group: a classic BPF program sends every datagram to the first socket, and is detached at the end', async () => {
  const r = await runCli(['run', '--protocol', 'udp', '--modes', 'reuseport', '-w', '3', '--flows', '24', '--steer', 'first', '-d', '0.5', '--warmup', '0', '--trials', '1', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  assert.ok(run?.accounting.datagrams !== undefined && run.accounting.datagrams.closes, run?.accounting.note)
  const received = run.listeners.map(l => l.udp?.datagrams ?? -1)
  assert.ok((received[0] ?? 0) > 0 && received.slice(1).every(n => n === 0), `datagrams per listener: ${received.join('/')}`)
  assert.deepEqual(run.listeners.map(l => l.udp?.flows), [24, 0, 0])
  assert.deepEqual(run.listeners[0]?.steering, { attached: true, detached: 'ok' })
  assert.equal(run.scenario?.steer?.kind, 'first')
})

test('--udp-connect: each listener serves its flows on sockets of their own, connected on the same port; the flows and the accounting as without', async () => {
  // 100 flows connecting at once: while a listener's new socket is bound but not yet connected, the kernel may queue other flows' first datagrams there.
  const r = await runCli(['run', '--protocol', 'udp', '--udp-connect', '--modes', 'reuseport', '-w', '3', '--flows', '100', '-d', '1', '--warmup', '0.5', '--trials', '1', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  assert.ok(run?.accounting.datagrams?.closes === true, run?.accounting.note)
  assert.equal(run.accounting.note, 'exact')
  assert.equal(run.client.udp?.splitFlows, 0, 'a flow stays with the listener its first datagram hashed to')
  // Every flow a listener saw got a socket of its own: the connected sockets add up to the client's flows.
  assert.deepEqual(run.listeners.map(l => l.udp?.connected ?? 0), run.listeners.map(l => l.udp?.flows ?? 0))
  assert.equal(run.listeners.reduce((a, l) => a + (l.udp?.connected ?? 0), 0), 100)
  // The kernel delivered every datagram but each flow's first (answered once its socket was connected) to the flow's own socket.
  const onConnected = run.listeners.reduce((a, l) => a + (l.udp?.onConnected ?? 0), 0)
  assert.equal(run.accounting.datagrams.received - onConnected, 100, `received ${run.accounting.datagrams.received}, on connected sockets ${onConnected}`)
})

test('--udp-connect-arms reuseport#2: only that arm connects a socket to each flow, the other serves them on the group\'s sockets, paired in one run', async () => {
  const r = await runCli(['run', '--protocol', 'udp', '--modes', 'reuseport,reuseport#2', '--udp-connect-arms', 'reuseport#2', '-w', '2', '--flows', '20', '-d', '0.5', '--warmup', '0', '--trials', '2', '--out', out, '--json'], 90_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ResultDoc
  assert.deepEqual(doc.plan.udpConnectArms, ['reuseport#2'])
  for (const run of doc.runs) {
    const connected = run.listeners.reduce((a, l) => a + (l.udp?.connected ?? 0), 0)
    assert.ok(run.accounting.datagrams?.closes === true, `${run.mode}: ${run.accounting.note}`)
    if (run.mode === 'reuseport#2') assert.equal(connected, 20, `${run.mode} trial ${run.trial}: a connected socket per flow`)
    else assert.ok(run.listeners.every(l => l.udp?.connected === undefined), `${run.mode} trial ${run.trial}: no connected socket`)
  }
  assert.equal(doc.paired?.length, 1, 'the two arms paired')
})

test('--protocol udp, Ctrl-C mid-load: exit 130, no process and no UDP socket left', async () => {
  const cli = startCli(['run', '--protocol', 'udp', '--modes', 'reuseport', '-w', '2', '--flows', '16', '-d', '20', '--warmup', '0', '--trials', '1', '--out', out])
  const port = Number((await waitForStderr(cli, /listening on port (\d+)[^]*load 20 s/, 30_000))[1])
  await new Promise(resolve => setTimeout(resolve, 500))
  const pids = descendants(cli.pid ?? 0)
  assert.ok(pids.length >= 3, `the listeners and the load generator run: ${pids.join(' ')}`)
  cli.kill('SIGINT')
  const end = await exited(cli, 20_000)
  assert.equal(end.code, 130)
  assert.ok(await allGone(pids, 5000), 'no process of the run left')
  assert.deepEqual((procUdpRows() ?? []).filter(row => row.port === port), [], 'no UDP socket left on the port')
  assert.equal(flowsTo(port), 0, 'no client flow left')
})

/** UDP sockets on this host connected to `port`: the client's flows, while the load generator holds them. */
function flowsTo (port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  return ['/proc/net/udp', '/proc/net/udp6'].flatMap(f => { try { return readFileSync(f, 'utf8').split('\n').slice(1) } catch { return [] } })
    .filter(line => line.trim().split(/\s+/)[2]?.endsWith(`:${hex}`) === true).length
}

test('--protocol udp, a listener killed mid-load: the run fails naming it, and no process, listener socket or client flow is left', async () => {
  const cli = startCli(['run', '--protocol', 'udp', '--modes', 'reuseport', '--interleave', 'cells', '-w', '3', '--flows', '16', '-d', '20', '--warmup', '0', '--trials', '1', '--out', out])
  let stderr = ''
  cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const port = Number((await waitForStderr(cli, /listening on port (\d+)[^]*load 20 s/, 30_000))[1])
  await new Promise(resolve => setTimeout(resolve, 500))
  const pids = descendants(cli.pid ?? 0)
  assert.ok(flowsTo(port) >= 16, `the client's flows are open: ${flowsTo(port)}`)
  const victim = await waitForDescendant(cli.pid ?? 0, 'workers/listener.js')
  process.kill(victim, 'SIGKILL')
  const end = await exited(cli, 10_000)
  assert.equal(end.code, 1, stderr)
  assert.match(stderr, new RegExp(`listener process ${victim} exited unexpectedly \\(code null, signal SIGKILL\\)`))
  assert.ok(await allGone(pids, 5000), 'no process of the run left')
  assert.deepEqual((procUdpRows() ?? []).filter(row => row.port === port), [], 'no listener socket left on the port')
  assert.equal(flowsTo(port), 0, 'no client flow left')
})
