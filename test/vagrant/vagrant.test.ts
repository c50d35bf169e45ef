// The Vagrant path for real (npm run test:vagrant, outside the default suite): a Debian 12 guest
// built and booted here under QEMU's emulation, provisioned from the registries, benchmarked
// through scripts/vagrant/guests.sh, its result copied back and compared with this host's. Skipped,
// with what is missing, where it cannot run. 20 to 40 minutes on a 2-CPU machine.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { ResultDoc } from '../../src/types/docs.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const E2E = path.join(ROOT, 'scripts', 'vagrant', 'e2e.sh')
const PHASES = ['host', 'box', 'boot', 'provision', 'run', 'copy', 'destroy', 'compare']

const rows = (file: string): string[][] => readFileSync(file, 'utf8').split('\n').filter(l => l !== '').map(l => l.split('\t'))
const result = (file: string): ResultDoc => JSON.parse(readFileSync(file, 'utf8')) as ResultDoc

test('a Debian guest under emulation against this host, end to end through Vagrant', { timeout: 90 * 60_000 }, (t) => {
  const check = spawnSync('bash', [E2E, '--check'], { encoding: 'utf8' })
  if (check.status !== 0) {
    t.skip(`cannot run here: ${check.stdout.trim().split('\n').join('; ')}`)
    return
  }
  const out = mkdtempSync(path.join(ROOT, 'reports', 'vagrant-test-'))
  const run = spawnSync('bash', [E2E, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 85 * 60_000 })
  assert.equal(run.status, 0, `scripts/vagrant/e2e.sh failed (its output is above; ${out})`)

  // Every phase ran and was timed.
  assert.deepEqual(rows(path.join(out, 'phases.tsv')).map(r => r[0]), PHASES)

  // The guest's result is complete, from Debian's 6.1 kernel, under emulation, and it adds up.
  const guest = result(path.join(out, 'linux-vm', 'result.json'))
  const host = result(path.join(out, 'host', 'result.json'))
  assert.notEqual(guest.status, 'partial', guest.failure?.message)
  assert.match(guest.host.release, /^6\.1\./)
  assert.equal(host.host.release, os.release())
  assert.equal(guest.host.virtualization?.kind, 'emulated', guest.host.virtualization?.evidence)
  assert.ok(guest.runs.length > 0)
  for (const r of [...guest.runs, ...host.runs]) {
    assert.equal(r.accounting.acceptsMatch, true, `${r.mode}: ${r.accounting.note}`)
    assert.equal(r.accounting.explained, true, `${r.mode}: ${r.accounting.note}`)
  }

  // The guest's bind/listen matrix is the article's Linux table, as the host's is.
  for (const [name, doc] of [['guest', guest], ['host', host]] as const) {
    const probe = doc.probe
    assert.ok(probe !== undefined, `${name} ran the probe`)
    assert.match(probe.comparedWith ?? '', /^linux table/)
    assert.ok(probe.summary.articleCells >= 24, `${name}: ${probe.summary.articleCells} article cells`)
    assert.equal(probe.summary.articleMatches, probe.summary.articleCells, `${name}: ${probe.summary.mismatches} cells differ from the article`)
  }

  // The page names both kernels and says the guest's speed is the emulator's.
  const page = readFileSync(path.join(out, 'compare.html'), 'utf8')
  assert.ok(page.includes(guest.host.release) && page.includes(host.host.release), 'compare.html names both kernels')
  assert.match(page, /EMULATED, SPEED NOT COMPARABLE - linux-vm/)

  // Nothing left this host for a private address outside our namespace, and nothing was left behind.
  const seen = rows(path.join(out, 'capture.tsv'))
  assert.deepEqual(seen.filter(r => r[0] === 'PRIVATE'), [])
  const left = rows(path.join(out, 'cleanup.tsv')).filter(r => r[0] !== 'ok')
  assert.deepEqual(left, [])
})
