// The package as a user gets it: its prebuilds built (scripts/prebuild.sh), `npm pack`,
// installed into a project of its own with every compiler hidden (the prebuild loads,
// nothing is built), then the API imported by name and the bin run; and where no
// prebuild fits and no compiler is there, one line. Needs npm and the registry (or
// npm's cache) for the dependencies.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { MODES } from '../../src/topology/kinds/index.js'
import { scratch } from '../scratch.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** A folder of stand-ins for every compiler and build tool, each failing loudly: a PATH with it first has no compiler. */
function hiddenCompilers (): string {
  const dir = scratch('rb-nocc-')
  for (const t of ['cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'make', 'python3', 'python']) {
    writeFileSync(path.join(dir, t), `#!/bin/sh\necho "compiler hidden: ${t} was called" >&2\nexit 127\n`, { mode: 0o755 })
  }
  return dir
}

/** The ELF machine of a shared object (62: x86-64, 183: AArch64). */
function elfMachine (file: string): number {
  return readFileSync(file).readUInt16LE(18)
}

/** Packs the checkout (dist already built) with its prebuilds into `dir`; the tarball's name. */
function packWithPrebuilds (dir: string): string {
  const arches = spawnSync('aarch64-linux-gnu-g++', ['--version']).status === 0 ? ['x64', 'arm64'] : ['x64']
  execFileSync('bash', ['scripts/prebuild.sh', ...arches], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 })
  assert.equal(elfMachine(path.join(ROOT, 'prebuilds', 'linux-x64', 'node.napi.glibc.node')), 62)
  if (arches.includes('arm64')) assert.equal(elfMachine(path.join(ROOT, 'prebuilds', 'linux-arm64', 'node.napi.glibc.node')), 183)
  // dist is already built by the test command: pack without running prepare (or the prebuilds) again.
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const tarball = readdirSync(dir).find(f => f.endsWith('.tgz'))
  assert.ok(tarball !== undefined, 'npm pack made a tarball')
  const files = execFileSync('tar', ['tzf', path.join(dir, tarball)], { encoding: 'utf8' }).trim().split('\n')
  assert.ok(files.includes('package/prebuilds/linux-x64/node.napi.glibc.node'), 'the x64 prebuild ships')
  assert.ok(files.includes('package/src/native/addon.cjs'), 'the install step ships')
  for (const doc of ['result', 'probe', 'compare', 'reproduce']) assert.ok(files.includes(`package/schemas/${doc}-1.schema.json`), `the ${doc} schema ships`)
  assert.ok(!files.some(f => f.startsWith('package/src/') && f.endsWith('.ts')), 'the TypeScript sources do not ship (dist does)')
  assert.ok(!files.some(f => f.endsWith('.tsbuildinfo')), "the incremental build's state (dist/tsconfig.tsbuildinfo) does not ship")
  assert.ok(statSync(path.join(dir, tarball)).size < 1_500_000, `the tarball is ${statSync(path.join(dir, tarball)).size} bytes`)
  return tarball
}

test('the packed tarball installs with no compiler on PATH: the prebuild loads, nothing is compiled, the API runs and the bin answers', { timeout: 600_000 }, () => {
  const dir = scratch('rb-consumer-')
  const tarball = packWithPrebuilds(dir)
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '9.8.7', type: 'module', private: true }))
  const env = { ...process.env, PATH: `${hiddenCompilers()}:${process.env.PATH ?? ''}` }
  const t0 = Date.now()
  const install = spawnSync('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts'], { cwd: dir, env, encoding: 'utf8', timeout: 480_000 })
  assert.equal(install.status, 0, install.stderr)
  assert.doesNotMatch(install.stderr + install.stdout, /compiler hidden|gyp/, 'nothing was compiled')
  console.log(`# install with no compiler: ${Date.now() - t0} ms`)
  const pkg = path.join(dir, 'node_modules', 'reuseport-bench')
  assert.ok(!existsSync(path.join(pkg, 'build')), 'no addon was built on install')
  assert.ok(existsSync(path.join(pkg, 'dist', 'src', 'api', 'index.d.ts')), 'types ship with it')
  assert.ok(!existsSync(path.join(pkg, 'dist', 'test')), 'the tests do not')
  writeFileSync(path.join(dir, 'use.mjs'), `
import { run, report } from 'reuseport-bench'
const events = []
const doc = await run({ modes: ['single', 'reuseport'], workers: 2, connections: 2, durationSec: '500ms', warmupSec: 0, pauseSec: 0, trials: 1 }, { onEvent: e => events.push(e.type) })
const refused = await run({ modes: ['reuseport', 'nonsense'] }).then(() => '', e => e.message)
console.log(JSON.stringify({ modes: doc.runs.map(r => r.mode), accepts: doc.runs.map(r => r.listeners.reduce((a, l) => a + l.accepts, 0)), schema: doc.schemaVersion, baseline: doc.baseline, addon: doc.host.addon, arch: doc.host.arch, events: events.includes('tick') || events.includes('load-started'), html: report(doc).startsWith('<!doctype html>'), refused }))
`)
  const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 })) as Record<string, unknown>
  assert.deepEqual(out, { modes: ['single', 'reuseport'], accepts: [2, 2], schema: 1, baseline: 'shared', addon: 'prebuild linux-x64', arch: 'x64', events: true, html: true, refused: `options.modes[1]: 'nonsense' is not a mode; modes are ${MODES.join(', ')}` })
  const bin = path.join(dir, 'node_modules', '.bin', 'reuseport-bench')
  const version = execFileSync(bin, ['--version'], { cwd: dir, encoding: 'utf8' }).trim()
  const own = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  assert.equal(version, own, 'the tool\'s own version, not the project it is installed in')
  // The studies ship with it: reproduce reads them from the installed package.
  const list = execFileSync(bin, ['reproduce', '--list'], { encoding: 'utf8' })
  assert.match(list, /seed-article-matrix .*probe/)
  assert.match(list, /google-lwn-542629 /)
  // npx keeps working for an installed package.
  const viaNpx = execFileSync('npx', ['--no-install', 'reuseport-bench', '--version'], { cwd: dir, encoding: 'utf8', timeout: 60_000 }).trim()
  assert.equal(viaNpx, version)

  // No prebuild fits (another CPU, as npm_config_arch tells node-gyp-build) and no compiler: installed anyway, and the
  // first command that needs the addon says, in one line, what to install; never a node-gyp stack.
  const other = scratch('rb-consumer-riscv-')
  cpSync(path.join(dir, tarball), path.join(other, tarball))
  writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }))
  const riscv = spawnSync('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts'], { cwd: other, env: { ...env, npm_config_arch: 'riscv64' }, encoding: 'utf8', timeout: 480_000 })
  assert.equal(riscv.status, 0, riscv.stderr)
  assert.match(riscv.stdout + riscv.stderr, /reuseport-bench: installed without its native addon: no native addon for linux-riscv64 \(glibc\): .*install python3, make and a C\+\+ compiler/)
  assert.doesNotMatch(riscv.stdout + riscv.stderr, /gyp ERR|\n\s+at /)
  rmSync(path.join(other, 'node_modules', 'reuseport-bench', 'prebuilds', 'linux-x64'), { recursive: true })
  const first = spawnSync(path.join(other, 'node_modules', '.bin', 'reuseport-bench'), ['probe'], { cwd: other, env, encoding: 'utf8', timeout: 60_000 })
  assert.equal(first.status, 1)
  assert.equal(first.stderr.trim().split('\n').length, 1, first.stderr)
  assert.match(first.stderr, /^reuseport-bench: no native addon for linux-x64 \(glibc\): no prebuild fits this machine and none was built here; install python3, make and a C\+\+ compiler/)
})

test('the install script keeps a working build: the addon is not rebuilt in place (node-gyp rebuild did, under a running harness)', { timeout: 300_000 }, () => {
  const addon = path.join(ROOT, 'build', 'Release', 'reuseport.node')
  const before = statSync(addon).mtimeMs
  execFileSync('npm', ['run', 'install', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 })
  assert.equal(statSync(addon).mtimeMs, before, 'the addon was rebuilt')
})
