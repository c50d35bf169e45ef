// The user's request handler (topology/handler.ts, --handler): what a module's
// default export may be, and real runs of the shipped examples under every
// mode, through run and through serve; a handler that throws or cannot load.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { UsageError } from '../../src/errors.js'
import { hasBoundSocket, hasReusePort } from '../../src/proc/node.js'
import { listenerOf } from '../../src/topology/handler.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { descendants, runCli, startCli, waitForStderr } from '../helpers.js'
import { scratch } from '../scratch.js'

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url))
const out = scratch('rb-handler-')
test.after(() => rmSync(out, { recursive: true, force: true }))

test('a default export: a listener (req, res) or (req, res, next), a factory (sync or async), an app with callback()', async () => {
  const plain = (_req: IncomingMessage, _res: ServerResponse): void => {}
  const express = (_req: unknown, _res: unknown, _next: unknown): void => {}
  assert.equal(await listenerOf(plain, 'f'), plain)
  assert.equal(await listenerOf(express, 'f'), express)
  assert.equal(await listenerOf(() => plain, 'f'), plain)
  assert.equal(await listenerOf(async () => plain, 'f'), plain)
  assert.equal(await listenerOf({ callback: () => plain }, 'f'), plain)
  await assert.rejects(listenerOf(42, 'app.mjs'), (e: unknown) => e instanceof UsageError && /^--handler app\.mjs: its default export is not a request listener/.test(e.message))
  await assert.rejects(listenerOf(() => 'nope', 'app.mjs'), UsageError)
})

const processModes = ['reuseport', 'shared', 'cluster', 'single', ...(hasReusePort(process.version) ? ['node-reuseport'] : [])]
/** The modes Node 22-26 added, once (with one example): the handler imported in each thread, by cluster workers on their own sockets. */
const newModes = ['threads', 'cluster-os', ...(hasReusePort(process.version) ? ['cluster-reuseport'] : []), ...(hasBoundSocket(process.version) ? ['bound-socket'] : [])]

for (const [example, modes] of [['json-api.mjs', [...processModes, ...newModes]], ['express-app.mjs', processModes]] as const) {
  test(`run --handler examples/${example}: ${modes.length} modes serve it, counted and attributed`, async () => {
    const r = await runCli(['run', '--trials', '1', '--modes', modes.join(','), '--handler', path.join(EXAMPLES, example), '--workers', '2', '--connections', '6', '--duration', '1', '--warmup', '0', '--pause', '0', '--out', out, '--json'], 120_000)
    assert.equal(r.code, 0, r.stderr)
    const doc = JSON.parse(r.stdout) as ResultDoc
    assert.equal(doc.plan.handler, path.join(EXAMPLES, example))
    assert.deepEqual(doc.runs.map(x => x.mode).sort(), [...modes].sort(), 'every mode, side by side in one round')
    for (const run of doc.runs) {
      assert.ok(run.client.responses > 0 && run.client.non2xx === 0 && run.client.errors === 0, `${run.mode}: ${run.client.responses} responses, ${run.client.non2xx} non-2xx`)
      assert.equal(run.listeners.reduce((a, l) => a + l.accepts, 0), 6, `${run.mode}: accepts`)
      assert.equal(run.client.byListener.reduce((a, b) => a + b.responses, 0), run.client.responses, `${run.mode}: every response put to a listener`)
      assert.ok(run.serverLatencyUs.count > 0, `${run.mode}: the handler's time recorded`)
    }
  })
}

test('--no-attribution: the responses carry no x-worker header, so nothing is split by listener', async () => {
  const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport', '--handler', path.join(EXAMPLES, 'json-api.mjs'), '--no-attribution', '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--out', out, '--json'], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const run = (JSON.parse(r.stdout) as ResultDoc).runs[0]
  assert.ok((run?.client.responses ?? 0) > 0)
  assert.deepEqual(run?.client.byListener, [])
})

test('a handler that throws, or cannot load: one line naming the file, exit 2, nothing left running', async () => {
  const dir = scratch('rb-bad-handler-')
  try {
    const cases: Array<[string, string, RegExp]> = [
      ['throws.mjs', 'export default function (req, res) { throw new Error("boom") }\n', /--handler .*throws\.mjs: threw: boom$/m],
      ['broken.mjs', 'import "no-such-package-here"\nexport default (req, res) => {}\n', /--handler .*broken\.mjs: cannot be loaded: Cannot find package 'no-such-package-here'/m]
    ]
    for (const [name, code, re] of cases) {
      writeFileSync(path.join(dir, name), code)
      const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport', '--handler', path.join(dir, name), '--workers', '2', '--connections', '2', '--duration', '1', '--warmup', '0', '--out', out], 60_000)
      assert.equal(r.code, 2, r.stderr)
      assert.match(r.stderr, re)
      assert.ok(!/\n\s+at /.test(r.stderr), 'no stack')
    }
    const missing = await runCli(['run', '--modes', 'reuseport', '--handler', path.join(dir, 'nope.mjs'), '--duration', '1'], 30_000)
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--handler .*nope\.mjs: no such file/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('serve --handler: wrk or any client gets the handler\'s responses from every listener', async () => {
  const cli = startCli(['serve', '--mode', 'reuseport', '--workers', '2', '--port', '0', '--handler', path.join(EXAMPLES, 'express-app.mjs'), '--out', out])
  try {
    const m = await waitForStderr(cli, /serving reuseport .* on 127\.0\.0\.1:(\d+)/)
    const res = await fetch(`http://127.0.0.1:${m[1] ?? 0}/api/users/7`)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { id: 7, name: 'user 7' })
    assert.match(res.headers.get('x-worker') ?? '', /^[01]$/)
    assert.equal(descendants(cli.pid ?? 0).length >= 2, true)
  } finally {
    cli.kill('SIGINT')
    await once(cli, 'exit')
  }
})

test('a handler that never answers fails every --fail-if (it passed them with exit 0 and "p99 0.000 ms"): no data, never 0', async () => {
  const dir = scratch('rb-never-')
  try {
    const never = path.join(dir, 'never.mjs')
    writeFileSync(never, 'export default function (req, res) { /* never answers */ }\n')
    const r = await runCli(['run', '--trials', '1', '--modes', 'reuseport', '--handler', never, '--workers', '2', '--connections', '4', '--duration', '0.5', '--warmup', '0', '--out', dir, '--fail-if', 'p99>50ms', '--fail-if', 'errors>0'], 60_000)
    assert.equal(r.code, 3, r.stderr)
    assert.match(r.stderr, /^fail-if: p99>50ms, errors>0: reuseport \(2 workers, 4 connections\) cannot pass: the listeners answered none of the 4 requests sent: no data, not a latency of 0$/m)
    assert.match(r.stdout, /^client: 0 req\/s, latency no data \(no responses\)/m)
    assert.match(r.stdout, /^verdict: reuseport \(2 workers, 4 connections, trial 1\) is invalid/m)
    assert.doesNotMatch(r.stdout, /lowest client p99/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
