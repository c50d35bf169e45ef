// The package as a user gets it: `npm pack`, installed into a project of its
// own (building the addon on install), then the API imported by name and
// the bin run. Needs npm and the registry (or npm's cache) for the dependencies.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { MODES } from '../../src/topology/kinds/index.js'
import { scratch } from '../scratch.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

test('the packed tarball installs into another project; the API runs from there and the bin answers', { timeout: 600_000 }, () => {
  const dir = scratch('rb-consumer-')
  try {
    // dist is already built by the test command: pack without running prepare again.
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const tarball = readdirSync(dir).find(f => f.endsWith('.tgz'))
    assert.ok(tarball !== undefined, 'npm pack made a tarball')
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }))
    execFileSync('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 480_000 })
    const pkg = path.join(dir, 'node_modules', 'reuseport-bench')
    assert.ok(existsSync(path.join(pkg, 'build', 'Release', 'reuseport.node')), 'the addon was built on install')
    assert.ok(existsSync(path.join(pkg, 'dist', 'src', 'api', 'index.d.ts')), 'types ship with it')
    assert.ok(!existsSync(path.join(pkg, 'dist', 'test')), 'the tests do not')
    writeFileSync(path.join(dir, 'use.mjs'), `
import { run, report } from 'reuseport-bench'
const events = []
const doc = await run({ modes: ['single', 'reuseport'], workers: 2, connections: 2, durationSec: '500ms', warmupSec: 0, pauseSec: 0, trials: 1 }, { onEvent: e => events.push(e.type) })
const refused = await run({ modes: ['reuseport', 'nonsense'] }).then(() => '', e => e.message)
console.log(JSON.stringify({ modes: doc.runs.map(r => r.mode), accepts: doc.runs.map(r => r.listeners.reduce((a, l) => a + l.accepts, 0)), schema: doc.schemaVersion, baseline: doc.baseline, events: events.includes('tick') || events.includes('load-started'), html: report(doc).startsWith('<!doctype html>'), refused }))
`)
    const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 })) as Record<string, unknown>
    assert.deepEqual(out, { modes: ['single', 'reuseport'], accepts: [2, 2], schema: 1, baseline: 'shared', events: true, html: true, refused: `options.modes[1]: 'nonsense' is not a mode; modes are ${MODES.join(', ')}` })
    const version = execFileSync(path.join(dir, 'node_modules', '.bin', 'reuseport-bench'), ['--version'], { encoding: 'utf8' }).trim()
    assert.match(version, /^\d+\.\d+\.\d+$/)
    // The studies ship with it: reproduce reads them from the installed package.
    const list = execFileSync(path.join(dir, 'node_modules', '.bin', 'reuseport-bench'), ['reproduce', '--list'], { encoding: 'utf8' })
    assert.match(list, /seed-article-matrix .*probe/)
    assert.match(list, /google-lwn-542629 /)
    // npx keeps working for an installed package.
    const viaNpx = execFileSync('npx', ['--no-install', 'reuseport-bench', '--version'], { cwd: dir, encoding: 'utf8', timeout: 60_000 }).trim()
    assert.equal(viaNpx, version)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the install script keeps a working build: the addon is not rebuilt in place (node-gyp rebuild did, under a running harness)', { timeout: 300_000 }, () => {
  const addon = path.join(ROOT, 'build', 'Release', 'reuseport.node')
  const before = statSync(addon).mtimeMs
  execFileSync('npm', ['run', 'install', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 })
  assert.equal(statSync(addon).mtimeMs, before, 'the addon was rebuilt')
})
