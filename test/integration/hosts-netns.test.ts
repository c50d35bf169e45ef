// Network namespaces as hosts (root, Linux): a server namespace and two client
// namespaces joined by a bridge, addresses that exist only inside them, and
// `ip netns exec` as the transport. One merged result whose accounting adds up
// and whose listeners saw both client hosts; then a client host killed in the
// middle of the second cell: the run fails naming it, keeps the first cell as
// a partial result, and leaves nothing running in any namespace.
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { netnsUnavailable } from '../../src/proc/netns.js'
import { exited, runCli, startCli, waitForStderr } from '../helpers.js'
import { assertMergedAcrossHosts } from '../hostsCheck.js'
import { createHosts, pidsIn, removeHosts } from '../netnsHosts.js'
import type { NetnsHosts } from '../netnsHosts.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { scratch } from '../scratch.js'

const via = (ns: string): string => `ip netns exec ${ns}`
const hostArgs = (h: NetnsHosts): string[] => ['--server-via', via(h.server), ...h.clients.flatMap(c => ['--client-via', via(c)]), '--target', h.serverAddress]
const leftRunning = (h: NetnsHosts): number[] => [h.server, ...h.clients].flatMap(pidsIn)

/** Runs `fn` with a server and two client namespaces and an output folder, both removed afterwards; skipped where namespaces cannot be made. */
async function withHosts (t: { skip: (m: string) => void }, fn: (h: NetnsHosts, out: string) => Promise<void>): Promise<void> {
  const why = netnsUnavailable()
  if (why !== undefined) { t.skip(why); return }
  const h = createHosts(2)
  const out = scratch('rb-netns-hosts-')
  try {
    await fn(h, out)
  } finally {
    removeHosts(h)
    rmSync(out, { recursive: true, force: true })
  }
}

test('namespaces as hosts: one server and two client hosts, one merged result that adds up', { timeout: 120_000 }, async t => {
  await withHosts(t, async (h, out) => {
    const res = await runCli(['run', ...hostArgs(h), '--modes', 'reuseport', '-w', '2', '-c', '20', '-d', '1', '--warmup', '0.3', '--trials', '1', '--out', out, '--json'], 100_000)
    assert.equal(res.code, 0, res.stderr)
    const doc = JSON.parse(res.stdout) as ResultDoc
    for (const r of doc.runs) {
      const hosts = assertMergedAcrossHosts(r, 2, 20)
      assert.deepEqual(hosts.clients.map(c => c.via), h.clients.map(via))
      assert.equal(hosts.server?.via, via(h.server))
      // The listeners saw each client host's address, as many connections from each as it opened.
      const peers: Record<string, number> = {}
      for (const l of r.listeners) for (const [a, n] of Object.entries(l.peers)) peers[a] = (peers[a] ?? 0) + n
      assert.deepEqual(Object.keys(peers).sort(), [...h.clientAddresses].sort(), JSON.stringify(peers))
      h.clientAddresses.forEach((a, i) => assert.equal(peers[a], hosts.clients[i]?.connectionsOpened))
      // The kernel's view came from the server namespace: its accept queues are there.
      assert.ok(r.samples?.queues !== undefined, 'accept queues sampled on the server host')
    }
    assert.deepEqual(leftRunning(h), [], 'nothing left running in any namespace')
  })
})

test('namespaces as hosts: a client host killed mid-run fails the run naming it, keeps a partial result, leaves nothing running', { timeout: 120_000 }, async t => {
  await withHosts(t, async (h, out) => {
    const child = startCli(['run', ...hostArgs(h), '--modes', 'reuseport,shared', '-w', '2', '-c', '10', '-d', '3', '--warmup', '0', '--pause', '0', '--trials', '1', '--out', out])
    let stderr = ''
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
    await waitForStderr(child, /\[2\/2\] \w+: load 3 s/, 60_000)
    await new Promise(r => setTimeout(r, 800))
    const victim = h.clients[1] ?? ''
    const pids = pidsIn(victim)
    assert.ok(pids.length > 0, 'the client host runs its load side')
    for (const pid of pids) process.kill(pid, 'SIGKILL')
    const { code } = await exited(child, 30_000)
    assert.equal(code, 1, stderr)
    const last = stderr.trim().split('\n').pop() ?? ''
    assert.match(last, new RegExp(`^reuseport-bench: client host 'ip netns exec ${victim}' was lost: its transport exited`), stderr)
    const dirs = readdirSync(out).filter(d => d !== 'latest' && d !== 'latest-partial')
    assert.equal(dirs.length, 1)
    const doc = JSON.parse(readFileSync(path.join(out, dirs[0] ?? '', 'result.json'), 'utf8')) as ResultDoc
    assert.equal(doc.status, 'partial')
    assert.equal(doc.runs.length, 1, 'the first cell is kept')
    assert.match(doc.failure?.message ?? '', /was lost/)
    assertMergedAcrossHosts(doc.runs[0] as NonNullable<(typeof doc.runs)[0]>, 2, 10)
    const end = Date.now() + 5000
    while (leftRunning(h).length > 0 && Date.now() < end) await new Promise(r => setTimeout(r, 100))
    assert.deepEqual(leftRunning(h), [], 'nothing left running in any namespace')
  })
})
