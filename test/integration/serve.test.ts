// `serve` as a measurement (cli/serve.ts, engine/external.ts): an
// external load generator (autocannon used directly, as wrk would be), then
// the result serve writes when stopped, which `report` and `compare` take.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { test } from 'node:test'
import autocannon from 'autocannon'
import { queuesOf } from '../../src/report/kernel.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { runCli, startCli, waitForStderr } from '../helpers.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-serve-')
test.after(() => rmSync(out, { recursive: true, force: true }))

test('serve + an external load: the result it writes counts what the listeners served, and report and compare take it', async () => {
  const cli = startCli(['serve', '--mode', 'shared', '--workers', '2', '--port', '0', '--work-us', '50', '--out', out, '--json'])
  let stdout = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  const m = await waitForStderr(cli, /serving shared .* on 127\.0\.0\.1:(\d+)/)
  const completed = await new Promise<number>((resolve, reject) => {
    autocannon({ url: `http://127.0.0.1:${m[1] ?? 0}/`, connections: 4, duration: 1, skipAggregateResult: true }, (err, r) => { if (err !== null) reject(err); else resolve(r.totalCompletedRequests) })
  })
  cli.kill('SIGINT')
  await once(cli, 'exit')
  const summary = JSON.parse(stdout) as { result: string, fairness: { jain: number }, listeners: Array<{ requests: number, latencyUs: { p99: number } }> }
  // One shared socket may leave a listener with no connection: only those that served have a latency.
  assert.ok(summary.listeners.every(l => l.requests === 0 || l.latencyUs.p99 > 0) && summary.listeners.some(l => l.requests > 0), `the JSON keeps latency: ${JSON.stringify(summary.listeners)}`)
  assert.ok(summary.fairness.jain > 0, 'and fairness')
  const doc = JSON.parse(readFileSync(summary.result, 'utf8')) as ResultDoc
  const run = doc.runs[0]
  assert.equal(run?.load.generator, 'external')
  assert.equal(run?.scenario.workUs, 50)
  const served = run?.listeners.reduce((a, l) => a + l.requests, 0) ?? 0
  assert.ok(served >= completed && served <= completed + 4, `listeners served ${served}, autocannon counted ${completed}`)
  assert.equal(run?.listeners.reduce((a, l) => a + l.accepts, 0), 4)
  if (process.platform === 'linux') assert.deepEqual(queuesOf(run ?? { samples: {} })?.sockets.map(s => s.owner), ['shared by listeners 0, 1'])
  const rep = await runCli(['report', summary.result, '--out', path.join(out, 'r.html')])
  assert.equal(rep.code, 0, rep.stderr)
  assert.match(readFileSync(path.join(out, 'r.html'), 'utf8'), /from a load generator outside the harness/)
  const cmp = await runCli(['compare', summary.result, summary.result, '--names', 'a,b', '--out', path.join(out, 'c.html')])
  assert.equal(cmp.code, 0, cmp.stderr)
})

test('serve --protocol udp + an outside UDP sender (plain Python): every datagram it got an answer to was counted, each flow on one listener, and the result is a UDP one', async () => {
  const cli = startCli(['serve', '--protocol', 'udp', '--mode', 'reuseport', '--workers', '2', '--port', '0', '--out', out, '--json'])
  let stdout = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  const port = (await waitForStderr(cli, /serving reuseport .* on 127\.0\.0\.1:(\d+) \(UDP\)/))[1] ?? '0'
  const sender = await new Promise<{ sent: number, answered: number }>((resolve, reject) => {
    execFile('python3', [path.join('scripts', 'udp-sender.py'), '127.0.0.1', port, '12', '1'], (err, text) => { if (err !== null) reject(err); else resolve(JSON.parse(text) as { sent: number, answered: number }) })
  })
  cli.kill('SIGINT')
  await once(cli, 'exit')
  const summary = JSON.parse(stdout) as { result: string, listeners: Array<{ udp?: { datagrams: number, flows: number, drops: number | null } }> }
  const got = summary.listeners.reduce((a, l) => a + (l.udp?.datagrams ?? 0), 0)
  // Each flow has one datagram in flight: at most 12 were received and not yet answered when the sender stopped.
  assert.ok(sender.answered > 0 && got >= sender.answered && got <= sender.sent && sender.sent - sender.answered <= 12, `listeners got ${got}; the sender sent ${sender.sent}, answered ${sender.answered}`)
  assert.equal(summary.listeners.reduce((a, l) => a + (l.udp?.flows ?? 0), 0), 12, 'each of the 12 flows seen by one listener')
  const doc = JSON.parse(readFileSync(summary.result, 'utf8')) as ResultDoc
  assert.equal(doc.plan.protocol, 'udp')
  assert.equal(doc.runs[0]?.load.generator, 'external')
  const rep = await runCli(['report', summary.result, '--out', path.join(out, 'u.html')])
  assert.equal(rep.code, 0, rep.stderr)
  assert.match(readFileSync(path.join(out, 'u.html'), 'utf8'), /datagrams\/s/)
})

/** One request on a new connection; resolves with the status, or null when the connection failed. */
function getOnce (port: number): Promise<number | null> {
  return new Promise(resolve => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, res => { res.resume(); res.on('end', () => resolve(res.statusCode ?? null)) }).on('error', () => resolve(null))
  })
}

test('serve when one listener dies: the others serve on, and their figures are printed and kept in a result marked partial that names the dead one (it lost everything)', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(out, 'death-'))
  const handler = path.join(dir, 'exitlater.mjs')
  // The first listener to serve its 20th request exits with code 3; the other never does.
  writeFileSync(handler, `import { existsSync, writeFileSync } from 'node:fs'\nlet n = 0\nexport default (req, res) => { if (++n === 20 && !existsSync(${JSON.stringify(path.join(dir, 'died'))})) { writeFileSync(${JSON.stringify(path.join(dir, 'died'))}, ''); process.exit(3) } res.end('ok') }\n`)
  const cli = startCli(['serve', '--handler', handler, '-w', '2', '--port', '0', '--json', '--out', dir])
  let stdout = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  const m = await waitForStderr(cli, /on 127\.0\.0\.1:(\d+)/)
  const port = Number(m[1])
  let ok = 0
  for (let i = 0; i < 60; i++) if (await getOnce(port) === 200) ok++
  assert.ok(ok >= 50, `${ok} of 60 answered`)
  cli.kill('SIGINT')
  const [code] = await once(cli, 'exit') as [number | null]
  assert.equal(code, 1)
  const printed = JSON.parse(stdout) as { listeners: Array<{ requests: number }>, result: string }
  assert.equal(printed.listeners.length, 1, 'the survivor')
  assert.ok((printed.listeners[0]?.requests ?? 0) >= 20)
  const doc = JSON.parse(readFileSync(printed.result, 'utf8')) as ResultDoc
  assert.equal(doc.status, 'partial')
  assert.match(doc.failure?.message ?? '', /listener process \d+ exited unexpectedly \(code 3/)
  assert.ok(!existsSync(path.join(dir, 'latest')), 'latest points only at complete results')
})
