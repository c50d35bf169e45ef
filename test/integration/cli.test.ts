// Bad input: one clear line on stderr, exit code 2, no stack trace.
import assert from 'node:assert/strict'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { test } from 'node:test'
import { compareNames } from '../../src/cli/report.js'
import { runCli, tagHolders } from '../helpers.js'
import { makeDoc } from '../fixtures.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { scratch } from '../scratch.js'

const tmp = scratch('rb-cli-')
test.after(() => rmSync(tmp, { recursive: true, force: true }))
const file = (name: string, text: string): string => { const f = path.join(tmp, name); writeFileSync(f, text); return f }
// A result every check passes (it is read back whole now), so each case below fails on what it names.
const good = file('good.json', JSON.stringify(makeDoc([])))

// One case per command and per class the parser itself refuses; every class of bad value is in
// unit/bad-input.test.ts, against the functions these commands call.
const cases: Array<[string[], RegExp]> = [
  [['run', '--workers', '0'], /--workers must be an integer from 1/],
  [['run', '--host', '192.0.2.1'], /192\.0\.2\.1 is not an address of this machine/],
  [['run', '--frobnicate'], /Unknown argument/],
  [['explode'], /Unknown argument|name a command/],
  [[], /name a command/],
  [['serve', '--mode', 'nope'], /unknown mode 'nope'/],
  [['probe', '--workers', '2', '--workers', '2'], /--workers was given 2 times/],
  [['probe', '--deadline-scale', '0'], /--deadline-scale must be an integer from 1 to 100/],
  [['report', path.join(tmp, 'missing.json')], /cannot read .*missing\.json: no such file/],
  [['report'], /Not enough non-option arguments/],
  // a value yargs itself refuses (its message has several lines) still reads as one
  [['load', '--control', 'tcp'], /Invalid values: Argument: control, Given: "tcp", Choices: "stdio"/],
  [['compare', good], /at least two result files/]
]

for (const [args, re] of cases) {
  test(`bad input: ${args.join(' ') || '(nothing)'}: one line, exit 2, nothing left running`, async () => {
    const r = await runCli(args, 60_000)
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, re)
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got: ${r.stderr}`)
    assert.doesNotMatch(r.stderr, /\n\s+at /)
    assert.equal(r.stdout, '')
    // Found by the tag in their environment: a process the CLI left would be re-parented, out of sight of the test's own tree.
    assert.deepEqual(tagHolders(r.tag), [])
  })
}

test('a port held by another process is named, with its holder', async () => {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  try {
    const r = await runCli(['run', '--trials', '1', '--port', String(port), '--duration', '1'], 20_000)
    assert.equal(r.code, 2)
    assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} \\(`))
  } finally {
    server.close()
  }
})

test('--help explains the commands', async () => {
  const r = await runCli(['run', '--help'], 20_000)
  assert.equal(r.code, 0)
  for (const flag of ['--modes', '--workers', '--connections', '--duration', '--warmup', '--churn', '--rate', '--host', '--port', '--out', '--label', '--json']) {
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`)
  }
  for (const group of ['Load:', 'Listeners:', 'Analysis:', 'Hosts:', 'Output:']) assert.match(r.stdout, new RegExp(`^${group}$`, 'm'))
  assert.match(r.stdout, /--duration .*\[duration\] \[default: 5s\]/)
  assert.match(r.stdout, /^Modes \(--modes\): reuseport, /m)
  assert.doesNotMatch(r.stdout, /\[string\]|default: undefined/)
  // Each option's entry: its first line and at most one more, indented under it.
  const lines = r.stdout.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!/^ {2}(-\w, )? *--/.test(lines[i] ?? '')) continue
    let more = 0
    while (/^ {20,}\S/.test(lines[i + 1 + more] ?? '')) more++
    assert.ok(more <= 1, `${lines[i]?.trim() ?? ''} takes ${more + 1} lines`)
  }
})

test('a mistyped flag is one line that names the nearest flag', async () => {
  const r = await runCli(['run', '--wrokers', '3'], 20_000)
  assert.equal(r.code, 2)
  assert.equal(r.stderr, 'reuseport-bench: Unknown argument: wrokers; did you mean --workers (not wrokers)?\n')
})

test('report reads the result.json inside a folder; --out FILE.html puts side files in a folder of their own', async () => {
  const dir = path.join(tmp, 'run-folder')
  const r = await runCli(['run', '--trials', '1', '--modes', 'single', '--connections', '2', '--duration', '0.3', '--warmup', '0', '--out', dir, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const fromFolder = await runCli(['report', path.join(dir, 'latest')], 20_000)
  assert.equal(fromFolder.code, 0, fromFolder.stderr)
  assert.match(fromFolder.stdout, /wrote .*latest\/report\.html/)
  const elsewhere = path.join(tmp, 'elsewhere')
  mkdirSync(elsewhere)
  const r2 = await runCli(['report', path.join(dir, 'latest'), '--out', path.join(elsewhere, 'x.html')], 20_000)
  assert.equal(r2.code, 0, r2.stderr)
  assert.deepEqual(readdirSync(elsewhere).sort(), ['x-files', 'x.html'])
  assert.ok(readdirSync(path.join(elsewhere, 'x-files')).includes('counts.csv'))
})

test('compare keeps two results with the same --label apart', () => {
  const doc = (JSON.parse(readFileSync(good, 'utf8')) as ResultDoc)
  const named = compareNames([{ ...doc, label: 'same' }, { ...doc, label: 'same' }, { ...doc, label: 'other' }], undefined)
  assert.deepEqual(named.map(n => n.name), ['same', 'same #2', 'other'])
  assert.deepEqual(compareNames([doc, doc], 'a,a').map(n => n.name), ['a', 'a #2'])
})

test('the flags people type: -c -d -w -R -j, durations and counts with units; --export-markdown and --export-csv', async () => {
  const dir = scratch('rb-flags-')
  const r = await runCli(['run', '--trials', '1', '--modes', 'single', '-c', '2', '-d', '400ms', '--warmup', '0s', '-R', '0.2k', '-j', '--out', dir, '--export-markdown', path.join(dir, 'r.md'), '--export-csv', path.join(dir, 'r.csv')], 60_000)
  assert.equal(r.code, 0, r.stderr)
  assert.match(readFileSync(path.join(dir, 'r.md'), 'utf8'), /^## reuseport-bench[\s\S]*\| mode \|[\s\S]*### single: 1 workers, 2 connections, trial 1\n\n\| # \| pid \|/)
  assert.match(readFileSync(path.join(dir, 'r.csv'), 'utf8'), /^mode,variant,workers,connections,trial,index,pid,accepts,[^\n]*\nsingle,,1,2,1,0,\d+,2,/)
  const noFolder = await runCli(['run', '--export-markdown', path.join(dir, 'missing', 'r.md')], 20_000)
  assert.equal(noFolder.code, 2)
  assert.match(noFolder.stderr, /--export-markdown .*: the folder .*missing does not exist/)
  const doc = JSON.parse(r.stdout) as { plan: { connections: number, durationSec: number, warmupSec: number, rate: number } }
  assert.deepEqual([doc.plan.connections, doc.plan.durationSec, doc.plan.warmupSec, doc.plan.rate], [2, 0.4, 0, 200])
  const bad = await runCli(['run', '-d', '2s', '-d', '0.2'], 20_000)
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--duration was given 2 times; give it once/)
})
