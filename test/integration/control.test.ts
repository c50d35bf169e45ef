// The remote sides' control streams, spoken to by hand as a hostile or broken
// peer would: `serve --control stdio` with real listeners that keep serving
// through bad input, and `load --control stdio`; each ends, with everything
// it started, when its stdin closes.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { test } from 'node:test'
import { allGone, BIN, exited, runCli, waitForDescendant } from '../helpers.js'
import { scratch } from '../scratch.js'

/** A peer on a control stream: writes raw lines, collects every JSON line the side answers. */
class Peer {
  readonly child: ChildProcess
  readonly got: Array<{ rb: string, seq: number, ok?: boolean, body?: any, error?: { code: string, message: string } }> = []
  private buf = ''
  constructor (command: 'serve' | 'load', extra: string[] = []) {
    this.child = spawn(process.execPath, [BIN, command, '--control', 'stdio', ...extra], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.child.stdout?.on('data', (d: Buffer) => {
      this.buf += d.toString()
      let nl
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        this.got.push(JSON.parse(this.buf.slice(0, nl)))
        this.buf = this.buf.slice(nl + 1)
      }
    })
  }

  write (text: string): void { this.child.stdin?.write(text) }
  request (seq: number, body: unknown): void { this.write(JSON.stringify({ rb: 'request', seq, body }) + '\n') }

  /** The next reply with this seq (the n-th one with seq 0). */
  async reply (seq: number, nth = 1, timeoutMs = 15_000): Promise<Peer['got'][number]> {
    const end = Date.now() + timeoutMs
    while (Date.now() < end) {
      const found = this.got.filter(m => m.rb === 'reply' && m.seq === seq)[nth - 1]
      if (found !== undefined) return found
      await new Promise(r => setTimeout(r, 20))
    }
    throw new Error(`no reply ${seq} within ${timeoutMs} ms; got ${JSON.stringify(this.got)}`)
  }

  async ask (seq: number, body: unknown): Promise<any> {
    this.request(seq, body)
    const r = await this.reply(seq)
    assert.equal(r.ok, true, JSON.stringify(r))
    return r.body
  }
}

test('serve --control stdio: bad input is refused and counted while its listeners go on serving; stdin closing ends them all', { timeout: 60_000 }, async () => {
  const p = new Peer('serve')
  const hello = await p.ask(1, { op: 'hello' })
  assert.equal(hello.role, 'server')
  assert.equal(typeof hello.facts.cpus, 'number')
  const started = await p.ask(2, { op: 'start', withinMs: 15_000, listeners: { mode: 'reuseport', workers: 2, host: '127.0.0.1', port: 0, backlog: 64, instrument: true, workUs: 0, label: 'control test' } })
  assert.equal(started.workers, 2)
  assert.equal(started.pids.length, 2)
  const url = `http://127.0.0.1:${started.port as number}/`
  assert.equal((await fetch(url)).status, 200)

  p.write('this is not json\n')
  assert.match((await p.reply(0, 1)).error?.message ?? '', /not JSON/)
  p.write('{"rb":"request","seq":3,"body":"' + 'x'.repeat(200 * 1024) + '"}\n')
  assert.match((await p.reply(0, 2)).error?.message ?? '', /over 65536 bytes was dropped/)
  p.write('[1,2,3]\n')
  assert.match((await p.reply(0, 3)).error?.message ?? '', /not a request envelope/)
  // A seq JSON cannot give back (1e400 parses as Infinity and was answered as seq null) is no envelope either.
  p.write('{"rb":"request","seq":1e400,"body":{"op":"status"}}\n')
  assert.match((await p.reply(0, 4)).error?.message ?? '', /not a request envelope/)
  assert.ok(!p.got.some(m => m.seq === null), 'no reply with seq null')
  p.request(4, { op: 'spawn', argv: ['sh', '-c', 'touch /tmp/pwned'] })
  const unknown = await p.reply(4)
  assert.equal(unknown.ok, false)
  assert.equal(unknown.error?.code, 'RB_CONTROL_REFUSED')
  assert.match(unknown.error?.message ?? '', /^unknown operation 'spawn'/)
  // Two at once: the second comes before the first is answered.
  p.request(5, { op: 'stats', withinMs: 2000 })
  p.request(6, { op: 'status' })
  assert.match((await p.reply(6)).error?.message ?? '', /before the previous one was answered/)
  assert.equal((await p.reply(5)).ok, true)

  assert.equal((await fetch(url)).status, 200, 'the listeners serve after all of that')
  const stats = await p.ask(7, { op: 'stats', withinMs: 2000 })
  assert.equal(stats.reduce((a: number, s: any) => a + s.stats.requests, 0), 2, 'the two fetches, and nothing the bad input did')
  const status = await p.ask(8, { op: 'status' })
  assert.deepEqual(status.refused, { malformed: 1, oversized: 1, notRequest: 2, invalid: 1, busy: 1 })

  p.child.stdin?.end()
  assert.equal((await exited(p.child, 10_000)).code, 0)
  assert.ok(await allGone(started.pids, 3000), 'listener processes ended with the control side')
})

test('load --control stdio: a load starts at its given time, answers its result and when it began; bad input refused; stdin closing ends it', { timeout: 60_000 }, async () => {
  const p = new Peer('load')
  assert.equal((await p.ask(1, { op: 'hello' })).role, 'load')
  p.request(2, { op: 'start', withinMs: 1000, listeners: {} })
  assert.match((await p.reply(2)).error?.message ?? '', /^unknown operation 'start'; this side takes hello, clock, status, load$/)
  p.request(3, { op: 'load', spec: { driver: 'autocannon', host: '127.0.0.1', port: 1, connections: -5, durationSec: 1, churn: 0, rate: 0 }, sourceAddresses: [], startAtMs: 0 })
  assert.equal((await p.reply(3)).error?.message, 'load: bad or missing connections')
  // A real load against a plain server: it runs its time and reports when it began.
  const server = http.createServer((_req, res) => res.end('ok'))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  const { nowMs } = await p.ask(4, { op: 'clock' })
  const startAtMs = (nowMs as number) + 400
  const done = await p.ask(5, { op: 'load', spec: { driver: 'autocannon', host: '127.0.0.1', port, connections: 2, durationSec: 0.5, churn: 0, rate: 0 }, sourceAddresses: [], startAtMs })
  await new Promise<void>(resolve => server.close(() => resolve()))
  assert.ok(done.startedAtMs >= startAtMs, `began ${String(done.startedAtMs)} not before its time ${startAtMs}`)
  assert.ok(done.lateMs >= 0 && done.lateMs < 200, `late by ${String(done.lateMs)} ms`)
  assert.ok(done.result.responses > 0)
  // Against a port nobody listens on: not one response, so the load fails naming the connect error.
  p.request(6, { op: 'load', spec: { driver: 'autocannon', host: '127.0.0.1', port: 9, connections: 2, durationSec: 0.5, churn: 0, rate: 0 }, sourceAddresses: [], startAtMs: 0 })
  assert.match((await p.reply(6)).error?.message ?? '', /^cannot connect to 127\.0\.0\.1:9: ECONNREFUSED/)
  // Source addresses this host cannot connect from fail with that reason (they answered ok with 0 responses).
  p.request(7, { op: 'load', spec: { driver: 'autocannon', host: '127.0.0.1', port, connections: 2, durationSec: 0.5, churn: 0, rate: 0 }, sourceAddresses: ['8.8.8.8'], startAtMs: 0 })
  assert.equal((await p.reply(7)).error?.message, 'source address 8.8.8.8 cannot be used on this host (not one of its addresses)')
  p.child.stdin?.end()
  assert.equal((await exited(p.child, 10_000)).code, 0)
})

test('serve --control stdio loads a handler only if its own command line names that file (any module ran in every listener)', { timeout: 60_000 }, async () => {
  const dir = scratch('rb-control-handler-')
  const marker = path.join(dir, 'RAN')
  const evil = path.join(dir, 'evil.mjs')
  const allowed = path.join(dir, 'allowed.mjs')
  writeFileSync(evil, `import { writeFileSync } from 'node:fs'\nwriteFileSync(${JSON.stringify(marker)}, 'x')\nexport default (req, res) => res.end('evil')\n`)
  writeFileSync(allowed, "export default (req, res) => res.end('allowed')\n")
  const spec = (handler: string): unknown => ({ op: 'start', withinMs: 15_000, listeners: { mode: 'reuseport', workers: 1, host: '127.0.0.1', port: 0, backlog: 64, instrument: true, workUs: 0, label: 'handler test', handler } })
  try {
    const bare = new Peer('serve')
    bare.request(1, spec(evil))
    const refused = await bare.reply(1)
    assert.equal(refused.ok, false)
    assert.equal(refused.error?.code, 'RB_CONTROL_REFUSED')
    assert.match(refused.error?.message ?? '', /this host loads no handler \(its command line gave no --handler\)/)
    bare.child.stdin?.end()
    await exited(bare.child, 10_000)

    const named = new Peer('serve', ['--handler', allowed])
    named.request(1, spec(evil))
    assert.match((await named.reply(1)).error?.message ?? '', /only the handler its command line gave/)
    const started = await named.ask(2, spec(allowed))
    assert.equal(await (await fetch(`http://127.0.0.1:${started.port as number}/`)).text(), 'allowed')
    named.child.stdin?.end()
    await exited(named.child, 10_000)
    assert.ok(!existsSync(marker), 'the module named only in a control message never ran')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a load side whose target is unreachable still ends within 2 s on SIGTERM and on the end of its stdin (it ignored both and grew to 1.5 GB)', { timeout: 60_000 }, async t => {
  if (spawnSync('unshare', ['-n', '--fork', '--', 'true']).status !== 0) { t.skip('needs unshare -n (root or user namespaces)'); return }
  for (const how of ['SIGTERM', 'end of stdin'] as const) {
    // No network at all in its namespace: every connect fails at once with ENETUNREACH.
    const child = spawn('unshare', ['-n', '--fork', '--kill-child', '--', process.execPath, BIN, 'load', '--control', 'stdio'], { stdio: ['pipe', 'pipe', 'pipe'] })
    try {
      const side = await waitForDescendant(child.pid ?? 0, 'load')
      child.stdin.write(JSON.stringify({ rb: 'request', seq: 1, body: { op: 'load', spec: { driver: 'autocannon', host: '127.0.0.1', port: 9, connections: 50, durationSec: 30, churn: 0, rate: 0 }, sourceAddresses: [], startAtMs: 0 } }) + '\n')
      await new Promise(resolve => setTimeout(resolve, 1500))
      const t0 = Date.now()
      if (how === 'SIGTERM') process.kill(side, 'SIGTERM') // the load side itself, not unshare
      else child.stdin.end()
      assert.ok(await allGone([side], 2000), `${how}: still running after ${Date.now() - t0} ms`)
    } finally {
      child.kill('SIGKILL')
    }
  }
})

// A side that speaks the protocol but answers hello with a pid that is not a number, as a broken or
// hostile remote command could: the run fails before anything starts, in one line naming the host,
// the operation and the field, and leaves nothing running.
const MALFORMED_SIDE = `
process.stdout.write(JSON.stringify({ rb: 'ready', seq: 0 }) + '\\n')
let buf = ''
process.stdin.on('data', d => {
  buf += d
  let nl
  while ((nl = buf.indexOf('\\n')) >= 0) {
    const m = JSON.parse(buf.slice(0, nl)); buf = buf.slice(nl + 1)
    const body = m.body.op === 'hello' ? { role: 'server', version: '0', pid: 'one', facts: {} } : {}
    process.stdout.write(JSON.stringify({ rb: 'reply', seq: m.seq, ok: true, body }) + '\\n')
  }
})
process.stdin.on('end', () => process.exit(0))
`

test('a remote side whose reply does not fit its shape: one line naming the host, the operation and the field; exit 1', async () => {
  const dir = scratch('rb-control-malformed-')
  const side = path.join(dir, 'side.cjs')
  writeFileSync(side, MALFORMED_SIDE)
  try {
    const r = await runCli(['run', '--server-via', 'env', '--remote-command', `${process.execPath} ${side}`, '--target', '127.0.0.1', '--modes', 'single', '-d', '1', '--trials', '1', '--out', path.join(dir, 'out')], 30_000)
    assert.equal(r.code, 1, r.stderr)
    assert.equal(r.stderr.trim().split('\n').pop(), `reuseport-bench: server host 'env' answered hello with what this tool cannot use: reply.pid must be a count (a whole number, 0 or more), got "one"`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
