// A run owns its fixed port (topology/portClaim.ts): two runs started together never share it, and a
// socket outside the run that joins the reuseport group anyway makes the cell invalid (real sockets).
import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'node:test'
import { run } from '../../src/api/index.js'
import { closeSocket, openSocket } from '../../src/native/index.js'
import { verdictOf } from '../../src/report/verdictOf.js'
import { runCli } from '../helpers.js'
import { scratch } from '../scratch.js'

/** A port no one listens on now (the kernel's pick). */
async function freePort (): Promise<number> {
  const s = http.createServer()
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as { port: number }).port
  await new Promise<void>(resolve => s.close(() => resolve()))
  return port
}

test('two runs on one --port started at the same moment: one runs, the other is refused naming the holder', async () => {
  const port = await freePort()
  const args = ['run', '--modes', 'reuseport', '--port', String(port), '-w', '2', '-c', '10', '-d', '0.5', '--warmup', '0', '--trials', '1', '--out', scratch('claim-')]
  const [a, b] = await Promise.all([runCli(args), runCli(args)])
  const codes = [a.code, b.code].sort()
  assert.deepEqual(codes, [0, 2], `${a.stderr}\n${b.stderr}`)
  const refused = a.code === 2 ? a : b
  assert.match(refused.stderr, new RegExp(`^reuseport-bench: port ${port} is claimed by another reuseport-bench run \\(pid \\d+: reuseport-bench run `, 'm'))
  const ran = a.code === 0 ? a : b
  assert.match(ran.stdout, /accounting: client opened 10 connections, listeners accepted 10;/)
})

test('a foreign SO_REUSEPORT socket that joins the port once the listeners are up makes the cell invalid: named, and in no ranking', async () => {
  const port = await freePort()
  // Another program's socket joining the reuseport group after the run checked the port free, answering every request.
  const foreign = http.createServer((_req, res) => res.end('not ours'))
  let fd: number | undefined
  const join = (): void => {
    fd = openSocket({ host: '127.0.0.1', port, reuseport: true, backlog: 64 })
    foreign.listen({ fd })
  }
  try {
    const doc = await run({ modes: ['reuseport'], port, workers: 2, connections: 20, durationSec: 1, warmupSec: 0, trials: 1, clientCpus: 'all', listenerCpus: 'all' },
      { onEvent: e => { if (e.type === 'cell-ready') join() } })
    assert.ok(fd !== undefined, 'the foreign socket joined')
    const rp = doc.runs[0]
    assert.equal(rp?.invalid?.kind, 'foreign-socket', JSON.stringify(rp?.accounting))
    const verdict = verdictOf(doc)
    assert.match(verdict[0] ?? '', /^reuseport \(2 workers, 20 connections, trial 1\) is invalid, left out of every ratio and gate: /)
    assert.ok(!verdict.some(l => /Highest throughput/.test(l)), verdict.join('\n'))
  } finally {
    if (foreign.listening) await new Promise<void>(resolve => foreign.close(() => resolve()))
    try { if (fd !== undefined) closeSocket(fd) } catch {}
  }
})

test('the API refuses a --port that another socket holds before anything starts, naming the option', async () => {
  const port = await freePort()
  const other = http.createServer()
  await new Promise<void>(resolve => other.listen(port, '127.0.0.1', resolve))
  try {
    await assert.rejects(run({ modes: ['single'], port, durationSec: 0.5, warmupSec: 0, trials: 1 }), (e: Error) => e.name === 'UsageError' && new RegExp(String(port)).test(e.message))
  } finally {
    await new Promise<void>(resolve => other.close(() => resolve()))
  }
})
