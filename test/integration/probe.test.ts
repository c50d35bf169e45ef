// The probe on this host, for real: socket A and B in separate processes.
import assert from 'node:assert/strict'
import { chmodSync, rmSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { runCli } from '../helpers.js'
import type { ProbeDoc } from '../../src/types/probe.js'
import { MODES } from '../../src/topology/kinds/index.js'
import { hasBoundSocket, hasReusePort, hasSocketTransfer } from '../../src/proc/node.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-probe-')
test.after(() => rmSync(out, { recursive: true, force: true }))

test('probe: the 24 article cells match the article\'s table for this OS, extras and accept order present', async (t) => {
  const r = await runCli(['probe', '--json', '--out', out], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ProbeDoc
  assert.equal(doc.schemaVersion, 1)
  assert.equal(doc.platform, process.platform)
  const article = doc.cells.filter(c => !c.extra)
  assert.equal(article.length, 24)
  for (const c of doc.cells) {
    assert.ok(['bind', 'listen'].includes(c.experiment) || c.extra)
    assert.ok(c.outcome === 'ok' || /^[A-Z:]+/.test(c.outcome), c.outcome)
    assert.ok(typeof c.addrA === 'string' && typeof c.addrB === 'string')
  }
  if (process.platform !== 'linux' && process.platform !== 'freebsd') { t.skip('no article table for this OS'); return }
  const bad = article.filter(c => c.matches !== true).map(c => `${c.experiment} ${c.addrA}/${c.addrB} ${c.reuseaddr}${c.reuseport}: ${c.outcome} vs ${String(c.expected)}`)
  assert.deepEqual(bad, [])
  assert.equal(doc.summary.articleMatches, 24)
  // extra rows: each group present or skipped with a reason
  for (const g of ['udp', 'ipv6', 'order', 'uid', 'timewait', 'reuseport_lb']) {
    const present = doc.cells.some(c => c.group === g)
    const skipped = doc.skipped.find(s => s.rows === g)
    assert.ok(present || (skipped !== undefined && skipped.reason.length > 10), `group ${g}`)
  }
  // accept order for every mode this Node can run; the others skipped with the reason
  const skippedModes = doc.skipped.filter(s => s.rows.startsWith('accept order of mode ')).map(s => s.rows.slice('accept order of mode '.length))
  const lacks = [...(hasReusePort(process.version) ? [] : ['node-reuseport', 'cluster-reuseport']), ...(hasBoundSocket(process.version) ? [] : ['bound-socket']), ...(hasSocketTransfer(process.version) ? [] : ['threads-rr'])]
  assert.deepEqual(skippedModes, MODES.filter(m => lacks.includes(m)))
  assert.deepEqual(doc.acceptOrder.map(a => a.mode), MODES.filter(m => !skippedModes.includes(m)))
  for (const a of doc.acceptOrder) {
    assert.equal(a.sequence.length, 6)
    assert.equal(a.counts.reduce((x, y) => x + y, 0), 60)
    assert.ok(a.sequence.every(i => i >= 0 && i < a.workers))
  }
  // Node's cluster round-robin hands sequential connections out in turn
  const cluster = doc.acceptOrder.find(a => a.mode === 'cluster')
  assert.deepEqual(cluster?.counts, [20, 20, 20])
  // UDP: the article's 12 bind cells with UDP sockets; who receives what, where a namespace can be made (else skipped with the reason)
  assert.equal(doc.cells.filter(c => c.group === 'udp').length, 12)
  const d = doc.datagramDelivery
  const skipped = doc.skipped.find(s => s.rows === 'udp delivery')
  assert.ok(d !== undefined || (skipped !== undefined && skipped.reason.length > 10), 'udp delivery run or skipped with the reason')
  if (d === undefined) return
  assert.deepEqual(d.rows.map(x => `${x.option} ${x.cast}`), ['SO_REUSEPORT unicast', 'SO_REUSEPORT broadcast', 'SO_REUSEPORT multicast', 'SO_REUSEADDR unicast', 'SO_REUSEADDR broadcast', 'SO_REUSEADDR multicast'])
  for (const row of d.rows) {
    assert.equal(row.received.length, d.sockets)
    // A unicast datagram reaches one socket; a broadcast or multicast one at most one copy per socket.
    if (row.cast === 'unicast') assert.equal(row.received.reduce((a, b) => a + b, 0), row.sent, JSON.stringify(row))
    else assert.ok(row.received.every(n => n <= row.sent), JSON.stringify(row))
  }
  assert.match(d.sentence, /unicast datagrams/)
  if (process.platform !== 'freebsd') assert.equal(d.claims.find(c => c.os === 'freebsd')?.here, "man page only (not this host's OS)")
})

const badProbe: Array<[string[], RegExp]> = [
  [['probe', '--ip', '192.0.2.7'], /192\.0\.2\.7 is not an address of this machine/],
  [['probe', '--ip', '0.0.0.0'], /--ip must be a specific IPv4 address/],
  [['probe', '--ip6', 'fe80::dead:beef:1'], /not an address of this machine|cannot be bound/],
  [['probe', '--ip6', 'nope'], /--ip6 must be a specific IPv6 address/],
  [['probe', '--port', '99999'], /--port must be an integer/],
  [['probe', '--fast'], /Unknown argument: fast/]
]
for (const [args, re] of badProbe) {
  test(`probe bad input: ${args.slice(1).join(' ')}`, async () => {
    const r = await runCli(args, 20_000)
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, re)
    assert.equal(r.stderr.trim().split('\n').length, 1)
  })
}

test('probe from a checkout other users cannot read: the other-user rows are skipped with the reason, the rest completes', async (t) => {
  if (process.getuid?.() !== 0) { t.skip('the other-user rows need root'); return }
  // Make this checkout private (as a clone under mktemp -d or /root is), run the probe, restore the mode.
  const root = fileURLToPath(new URL('../../..', import.meta.url))
  const mode = statSync(root).mode & 0o777
  chmodSync(root, 0o700)
  let r
  try {
    r = await runCli(['probe', '--json', '--out', out, '--spread', '0', '--modes', 'reuseport'], 60_000)
  } finally {
    chmodSync(root, mode)
  }
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as ProbeDoc
  assert.equal(doc.cells.filter(c => !c.extra).length, 24)
  assert.equal(doc.cells.some(c => c.group === 'uid'), false)
  const skip = doc.skipped.find(s => s.rows === 'uid')
  // Node itself unreachable (a Node inside the checkout, as CI's 22 and 24) or our modules: either way the same advice.
  assert.match(skip?.reason ?? '', /uid 65534 cannot run the probe agent from this checkout \(probe agent B\(nobody\) (\(pid \d+\) exited .*Cannot find module.*|could not start: spawn .* EACCES)\); every folder above it must be readable by other users/)
})
