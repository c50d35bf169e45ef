// The FreeBSD comparison path, as far as it can run here (no FreeBSD host):
// the Vagrantfile validates, the scripts lint, and the host side of
// scripts/compare-freebsd.sh imports a real Linux result and a FreeBSD
// FIXTURE (the article's table, labelled as a fixture) into one comparison.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCli } from '../helpers.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { scratch } from '../scratch.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const SCRIPT = path.join(ROOT, 'scripts', 'compare-freebsd.sh')
const tmp = scratch('rb-bsd-')
const made: string[] = []
test.after(() => {
  rmSync(tmp, { recursive: true, force: true })
  for (const d of made) rmSync(d, { recursive: true, force: true })
})

function has (cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
}

/** Present, or a skip here and a failure in CI (where .ci/run installs it). */
function need (cmd: string, t: { skip: (m: string) => void }): boolean {
  if (has(cmd)) return true
  assert.ok(process.env.CI === undefined, `${cmd} is missing in CI`)
  t.skip(`${cmd} not installed`)
  return false
}

/** `vagrant validate --ignore-provider` in `dir`: checks the Vagrantfile without needing VirtualBox or libvirt. */
function validate (dir: string, env: Record<string, string> = {}): ReturnType<typeof spawnSync> {
  return spawnSync('vagrant', ['validate', '--ignore-provider'], { cwd: dir, encoding: 'utf8', env: { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1', ...env } })
}

test('vagrant validate passes on the Vagrantfile, with no provider installed', (t) => {
  if (!need('vagrant', t)) return
  const r = validate(ROOT)
  assert.equal(r.status, 0, String(r.stdout) + String(r.stderr))
  // With the client VM and the private network of a two-host run (README "Several hosts").
  const withClient = validate(ROOT, { RB_CLIENT_VM: '1' })
  assert.equal(withClient.status, 0, String(withClient.stdout) + String(withClient.stderr))
  // As scripts/vagrant/e2e.sh drives it: software emulation, the box built here, the console to a file.
  const emulated = validate(ROOT, { RB_LIBVIRT_DRIVER: 'qemu', RB_LINUX_BOX: 'reuseport-bench/debian12', RB_VM_CONSOLE: path.join(tmp, 'console') })
  assert.equal(emulated.status, 0, String(emulated.stdout) + String(emulated.stderr))
  // The same check fails on a Vagrantfile with a configuration error, so it does check something.
  const broken = mkdtempSync(path.join(tmp, 'vagrant-'))
  writeFileSync(path.join(broken, 'Vagrantfile'), readFileSync(path.join(ROOT, 'Vagrantfile'), 'utf8').replace('config.vm.define "freebsd" do |bsd|', 'config.vm.define "freebsd" do |bsd|\n    bsd.vm.network "forwarded_port", guest: "not-a-port"'))
  const bad = validate(broken)
  assert.notEqual(bad.status, 0, 'a broken Vagrantfile must not validate')
})

test('the Vagrantfile has both guests, both providers and the FreeBSD settings', () => {
  const v = readFileSync(path.join(ROOT, 'Vagrantfile'), 'utf8')
  for (const s of ['define "linux"', 'define "freebsd"', 'provider :virtualbox', 'provider :libvirt', 'ssh.shell = "sh"', 'type: "rsync"', '"node_modules/"', '"build/"', '"reports/"', 'RB_VM_CPUS', 'RB_VM_MEMORY', 'freebsd/FreeBSD-14', 'node22', 'gmake', 'python3', 'npm install', 'RB_CLIENT_VM', 'define "client"', 'private_network', '".cache/"', 'RB_LIBVIRT_DRIVER', 'scripts/node-dist.sh', 'NODE_EXTRA_CA_CERTS', 'npm_config_nodedir']) {
    assert.ok(v.includes(s), `Vagrantfile mentions ${s}`)
  }
})

test('shell scripts parse (bash -n) and pass shellcheck', (t) => {
  const scripts = [SCRIPT, path.join(ROOT, '.ci', 'run'), path.join(ROOT, 'scripts', 'node-dist.sh'), ...['box', 'sandbox', 'guests', 'e2e'].map(n => path.join(ROOT, 'scripts', 'vagrant', `${n}.sh`)),
    ...['common.sh', 'check.sh', 'rootfs.sh', 'kernel.sh', 'boot.sh', 'guest.sh', 'initramfs-init'].map(n => path.join(ROOT, 'scripts', 'kernels', n))]
  for (const s of scripts) execFileSync('bash', ['-n', s])
  if (!need('shellcheck', t)) return
  const r = spawnSync('shellcheck', ['-x', '-S', 'warning', ...scripts], { cwd: ROOT, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

test('host side: a real Linux result and the FreeBSD fixture make one comparison', async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport,shared', '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--pause', '0', '--probe', '--out', tmp, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const linux = path.join(tmp, 'latest', 'result.json')
  const fixture = path.join(tmp, 'freebsd-fixture.json')
  execFileSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'freebsd-fixture.js'), fixture])
  const doc = JSON.parse(readFileSync(fixture, 'utf8')) as ResultDoc
  assert.match(doc.fixture ?? '', /fixture/i)
  assert.equal(doc.probe?.cells.length, 24)

  const before = new Set(readdirSync(path.join(ROOT, 'reports')))
  const res = spawnSync('bash', [SCRIPT, '--from-results', linux, fixture], { cwd: ROOT, encoding: 'utf8' })
  for (const d of readdirSync(path.join(ROOT, 'reports'))) if (!before.has(d)) made.push(path.join(ROOT, 'reports', d))
  assert.equal(res.status, 0, res.stderr)
  const m = /comparison: (\S+)/.exec(res.stdout)
  assert.ok(m?.[1] !== undefined, res.stdout)
  const html = readFileSync(path.join(ROOT, m[1]), 'utf8')
  assert.match(html, /FIXTURE, NOT A MEASUREMENT - freebsd-vm/)
  assert.match(html, /linux-vm/)
  // Side by side, Linux (measured here) and FreeBSD (article) differ in exactly the
  // three cells where the article's two tables differ.
  assert.equal((html.match(/<tr class="mismatch">/g) ?? []).length, 3)
  for (const f of ['linux/report.html', 'freebsd/report.html']) assert.ok(existsSync(path.join(ROOT, path.dirname(m[1]), f)), f)
  assert.match(readFileSync(path.join(ROOT, path.dirname(m[1]), 'freebsd/report.html'), 'utf8'), /FIXTURE, NOT A MEASUREMENT/)
})

test('a partial result is never compared as complete', () => {
  // Independent of the test above: the fixture stands in for a complete result.
  const good = path.join(tmp, 'complete-fixture.json')
  execFileSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'freebsd-fixture.js'), good])
  const partial = path.join(tmp, 'partial.json')
  writeFileSync(partial, JSON.stringify({ ...(JSON.parse(readFileSync(good, 'utf8')) as ResultDoc), status: 'partial', failure: { code: 'RB_LISTENER_DIED', message: 'listener 2 died' } }))
  const before = new Set(readdirSync(path.join(ROOT, 'reports')))
  const res = spawnSync('bash', [SCRIPT, '--from-results', partial, good], { cwd: ROOT, encoding: 'utf8' })
  for (const d of readdirSync(path.join(ROOT, 'reports'))) if (!before.has(d)) made.push(path.join(ROOT, 'reports', d))
  assert.equal(res.status, 1)
  assert.match(res.stderr, /linux: the result is partial or unreadable .*not comparing it as complete/)
})
