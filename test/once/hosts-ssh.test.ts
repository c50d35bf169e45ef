// Real ssh as the transport (root; Debian's openssh-server, which .ci/run
// installs): an sshd the test starts on 127.0.0.1 with a throwaway key, the
// server host and two client hosts all reached through it. One merged result
// whose accounting adds up; afterwards no ssh session and no remote side is
// left, and the sshd and its keys are removed.
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { test } from 'node:test'
import { runCli } from '../helpers.js'
import { assertMergedAcrossHosts, controlSides } from '../hostsCheck.js'
import { sessionsOf, sshdUnavailable, startSshd, stopSshd } from '../sshd.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { scratch } from '../scratch.js'

test('ssh as the transport: one server and two client hosts, one merged result that adds up', { timeout: 120_000 }, async t => {
  const why = sshdUnavailable()
  if (why !== undefined) {
    // CI installs openssh-server and runs as root (.ci/run): there a missing sshd is a failure, not a skip.
    assert.ok(process.env.CI === undefined || (typeof process.getuid === 'function' && process.getuid() !== 0), `${why} in CI`)
    t.skip(why)
    return
  }
  const sshd = await startSshd()
  const out = scratch('rb-ssh-hosts-')
  try {
    const res = await runCli(['run', '--server-via', sshd.via, '--client-via', sshd.via, '--client-via', sshd.via, '--target', '127.0.0.1', '--modes', 'reuseport', '-w', '2', '-c', '20', '-d', '1', '--warmup', '0.3', '--trials', '1', '--out', out, '--json'], 100_000)
    assert.equal(res.code, 0, res.stderr)
    const doc = JSON.parse(res.stdout) as ResultDoc
    for (const r of doc.runs) {
      const hosts = assertMergedAcrossHosts(r, 2, 20)
      assert.equal(hosts.server?.via, sshd.via)
      assert.ok(hosts.clients.every(c => c.via === sshd.via))
    }
    const end = Date.now() + 5000
    while ((sessionsOf(sshd).length > 0 || controlSides().length > 0) && Date.now() < end) await new Promise(r => setTimeout(r, 100))
    assert.deepEqual(sessionsOf(sshd), [], 'no ssh session left')
    assert.deepEqual(controlSides(), [], 'no remote side left')
  } finally {
    stopSshd(sshd)
    rmSync(out, { recursive: true, force: true })
  }
})
