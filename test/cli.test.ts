// Bad input: one clear line on stderr, exit code 2, no stack trace.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { compareNames } from '../src/cli/report.js'
import { descendants, runCli } from './helpers.js'
import { makeDoc } from './fixtures.js'
import type { ResultDoc } from '../src/types/docs.js'

const tmp = mkdtempSync(path.join(tmpdir(), 'rb-cli-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))
const file = (name: string, text: string): string => { const f = path.join(tmp, name); writeFileSync(f, text); return f }
// A result every check passes (it is read back whole now), so each case below fails on what it names.
const good = file('good.json', JSON.stringify(makeDoc([])))

const cases: Array<[string[], RegExp]> = [
  [['run', '--workers', '0'], /--workers must be an integer from 1/],
  [['run', '--workers', 'four'], /--workers must be a number/],
  [['run', '--connections', '-5'], /--connections must be an integer/],
  [['run', '--duration', '0'], /--duration must be from/],
  [['run', '--port', '65536'], /--port must be an integer from 0 to 65535/],
  [['run', '--port', 'http'], /--port must be a number/],
  [['run', '--modes', 'reuseport,fast'], /unknown mode 'fast'/],
  [['run', '--host', '192.0.2.1'], /192\.0\.2\.1 is not an address of this machine/],
  [['run', '--host', 'example.com'], /--host must be an IP address/],
  [['run', '--frobnicate'], /Unknown argument/],
  [['explode'], /Unknown argument|name a command/],
  [[], /name a command/],
  [['serve', '--mode', 'nope'], /unknown mode 'nope'/],
  [['serve', '--workers', '0'], /--workers must be an integer/],
  [['run', '--rate', '1e9'], /--rate must be a number|--rate must be an integer/],
  [['run', '--backlog', '0'], /--backlog must be an integer from 1/],
  [['report', path.join(tmp, 'missing.json')], /cannot read .*missing\.json: no such file/],
  [['report', file('trunc.json', '{"schemaVersion": 1, "runs": [')], /not valid JSON \(truncated/],
  [['report', file('v9.json', '{"schemaVersion": 9}')], /schemaVersion 9; this version reads 1/],
  [['report', tmp], /is a folder with no result\.json in it/],
  // lists: an empty item is refused, not skipped
  [['run', '--modes', 'reuseport,,'], /--modes has an empty item in 'reuseport,,'/],
  [['run', '--modes', ',shared'], /--modes has an empty item/],
  [['run', '--modes', ''], /--modes needs at least one value/],
  [['run', '--workers', '1,,2'], /--workers has an empty item/],
  [['run', '--connections', '10,'], /--connections has an empty item/],
  // numbers: not a decimal, out of range, not an integer, repeated
  [['run', '--duration', '1e3'], /--duration must be a number of seconds, or a duration with its unit \(500ms, 10s, 2m\), got '1e3'/],
  [['run', '--duration', '0x10'], /--duration must be a number/],
  [['run', '--duration', 'Infinity'], /--duration must be a number/],
  [['run', '--workers', '2.5'], /--workers must be an integer from 1/],
  [['run', '--workers', ''], /--workers needs at least one value/],
  [['run', '--trials', '0'], /--trials must be an integer from 1 to 100/],
  [['run', '--seed', '-1'], /--seed must be an integer from 0/],
  [['run', '--pause', '61'], /--pause must be from 0 to 60 seconds/],
  [['run', '--workers', '2', '--workers', '3'], /--workers was given 2 times; give it once/],
  [['serve', '--port', '1', '--port', '2'], /--port was given 2 times/],
  [['probe', '--workers', '2', '--workers', '2'], /--workers was given 2 times/],
  // thresholds: a metric's range and unit; ones that are always or never crossed
  [['run', '--fail-if', 'jain<2'], /--fail-if 'jain<2' is always crossed: jain takes from 0 to 1/],
  [['run', '--fail-if', 'jain>1'], /--fail-if 'jain>1' is never crossed/],
  [['run', '--fail-if', 'busiest>100%'], /is never crossed/],
  [['run', '--fail-if', 'busiest>150%'], /is never crossed/],
  [['run', '--fail-if', 'busiest>50ms'], /busiest takes from 0% to 100% \(or 0 to 1\), not 'ms'/],
  [['run', '--fail-if', 'p99>50%'], /p99 takes a latency with its unit, e\.g\. 50ms or 1s, not '%'/],
  [['run', '--fail-if', 'p99>50'], /p99 takes a latency with its unit/],
  [['run', '--fail-if', 'jain<0.9ms'], /jain takes from 0 to 1.*not 'ms'/],
  [['run', '--fail-if', 'rps<0'], /'rps<0' is never crossed/],
  [['run', '--fail-if', 'errors>-1'], /is not METRIC<VALUE/],
  // combinations that make no sense
  [['run', '--client-addrs', '4'], /--client-addrs applies only with --client-netns/],
  [['run', '--client-cpus', 'x'], /--client-cpus takes auto, all, or CPU numbers/],
  [['run', '--listener-cpus', '1000'], /--listener-cpus 1000: this process may run only on CPUs/],
  [['serve', '--listener-cpus', '0-'], /--listener-cpus takes auto, all/],
  [['run', '--client-netns', '--host', '127.0.0.1'], /leave out --host/],
  [['run', '--restart-busy-ms', '50'], /--restart-busy-ms applies only with --restart/],
  [['run', '--steer', 'cpu', '--modes', 'shared'], /--steer applies to reuseport modes only/],
  [['run', '--stall', '1:10:100', '--modes', 'single,reuseport'], /--stall names listener 1, but a cell has only listener 0/],
  [['run', '--stall', '3:10:100', '--workers', '4,2'], /--stall names listener 3, but there are 2/],
  [['run', '--rate', '10', '--connections', '50'], /--rate 10 is below --connections 50/],
  [['run', '--label', 'two\nlines'], /--label must be one line of printable text/],
  // a value yargs itself refuses (its message has several lines) still reads as one
  [['load', '--control', 'tcp'], /Invalid values: Argument: control, Given: "tcp", Choices: "stdio"/],
  [['run', '--scenario', 'nope'], /unknown scenario 'nope'/],
  [['run', '--driver', 'wrk9'], /unknown load driver 'wrk9'; known drivers: autocannon/],
  // files and folders
  [['run', '--out', good], /--out .*good\.json: cannot create a folder for results there \((ENOTDIR|EEXIST)\)/],
  [['report', file('empty.json', '')], /not valid JSON/],
  [['report', file('array.json', '[]')], /not a reuseport-bench result/],
  [['report', good, '--probe', good], /not a reuseport-bench probe result/],
  [['compare', good, good, '--names', 'a,'], /--names has an empty name/],
  [['compare', good], /at least two result files/],
  [['compare', good, good, '--names', 'one'], /--names has 1 names for 2 results/],
  [['report'], /Not enough non-option arguments/]
]

for (const [args, re] of cases) {
  test(`bad input: ${args.join(' ') || '(nothing)'}`, async () => {
    const r = await runCli(args, 20_000)
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, re)
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got: ${r.stderr}`)
    assert.doesNotMatch(r.stderr, /\n\s+at /)
    assert.equal(r.stdout, '')
  })
}

test('bad input leaves nothing running', () => {
  assert.deepEqual(descendants(process.pid), [])
})

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
  const dir = mkdtempSync(path.join(tmpdir(), 'rb-flags-'))
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
