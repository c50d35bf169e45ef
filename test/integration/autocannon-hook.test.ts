// The response timing hook on autocannon's per-connection client, on an object
// shaped like autocannon 9's internals (the real client is covered by the
// --churn 1 runs in run.test.ts and scenarios.test.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import net from 'node:net'
import { RunError } from '../../src/errors.js'
import { hookResponses, runLoad } from '../../src/load/drivers/autocannon.js'

const K = 3 // autocannon's parser keeps callbacks at numbered slots; kOnMessageComplete names the slot

function fakeClient (startTime: [number, number]): { c: Parameters<typeof hookResponses>[0], calls: number[] } {
  const calls: number[] = []
  class Parser { static kOnMessageComplete = K; [k: number]: unknown }
  const parser = new Parser()
  parser[K] = () => { calls.push(1); return 'original' }
  const c = { on: () => {}, parser, pipelinedRequests: { pendingRequests: [{ startTime }] }, rbWorker: 2 } as unknown as Parameters<typeof hookResponses>[0]
  return { c, calls }
}

test('every complete response is timed from its request start, the listener attributed, the original callback kept', () => {
  const start = process.hrtime()
  const { c, calls } = fakeClient(start)
  const seen: Array<[number, number | undefined]> = []
  hookResponses(c, (us, worker) => seen.push([us, worker]))
  assert.equal(c.rbHooked, true)
  const cb = (c.parser as unknown as Record<number, () => unknown>)[K]
  assert.equal(cb?.(), 'original')
  assert.equal(calls.length, 1)
  assert.equal(seen.length, 1)
  assert.equal(seen[0]?.[1], 2)
  assert.ok((seen[0]?.[0] ?? -1) >= 0 && (seen[0]?.[0] ?? Infinity) < 1e6, `elapsed ${String(seen[0]?.[0])} us`)
})

test('a client whose internals are not as expected is left untouched (autocannon events are used instead)', () => {
  const { c } = fakeClient(process.hrtime())
  delete (c as { pipelinedRequests?: unknown }).pipelinedRequests
  const before = (c.parser as unknown as Record<number, unknown>)[K]
  hookResponses(c, () => assert.fail('no timing without the internals'))
  assert.equal((c.parser as unknown as Record<number, unknown>)[K], before)
  assert.equal(c.rbHooked, undefined)
})

test('a target that refuses every connection: the event loop keeps running, and the load fails naming the error (autocannon reconnected in a tight loop)', { timeout: 30_000 }, async () => {
  const s = net.createServer()
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>(resolve => s.close(() => resolve())) // nothing listens there now
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 50)
  const t0 = Date.now()
  try {
    await assert.rejects(runLoad({ host: '127.0.0.1', port, connections: 10, durationSec: 1, churn: 0, rate: 0 }), (e: unknown) => e instanceof RunError && /^cannot connect to 127\.0\.0\.1:\d+: ECONNREFUSED/.test(e.message))
  } finally {
    clearInterval(timer)
  }
  const ms = Date.now() - t0
  assert.ok(ms < 6000, `took ${ms} ms`)
  assert.ok(ticks >= ms / 50 / 3, `a 50 ms timer fired ${ticks} times in ${ms} ms: the loop was starved`)
})
