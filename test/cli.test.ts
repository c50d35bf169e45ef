// Bad input: one clear line on stderr, exit code 2, no stack trace.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { descendants, runCli } from './helpers.js'

const tmp = mkdtempSync(path.join(tmpdir(), 'rb-cli-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))
const file = (name: string, text: string): string => { const f = path.join(tmp, name); writeFileSync(f, text); return f }
const good = file('good.json', JSON.stringify({ schemaVersion: 1, status: 'complete', runs: [], host: { platform: 'linux' }, plan: {}, label: '' }))

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
  [['report', tmp], /it is a folder/],
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
    const r = await runCli(['run', '--port', String(port), '--duration', '1'], 20_000)
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
