// The paced open-loop driver (load/drivers/paced.ts): its schedule, its
// response parser, and against real sockets: sends evenly spaced, the rate
// met, late requests counted and charged to the corrected latency.
import assert from 'node:assert/strict'
import net from 'node:net'
import { test } from 'node:test'
import { pacedDriver, parseResponse, runPaced, schedule } from '../../../src/load/drivers/paced.js'

test('the schedule spreads R requests a second evenly', () => {
  const s = schedule(2000, 1.5)
  assert.equal(s.count, 3000)
  assert.equal(s.intervalNs, 500_000)
  assert.deepEqual([0, 1, 2, 2999].map(s.at), [0, 500_000, 1_000_000, 1_499_500_000])
})

test('a response is complete only with its whole body; x-worker, status and connection: close are read', () => {
  const r = 'HTTP/1.1 200 OK\r\nx-worker: 3\r\nContent-Length: 3\r\n\r\nok\n'
  assert.deepEqual(parseResponse(r), { status: 200, worker: 3, length: r.length, close: false })
  assert.equal(parseResponse(r.slice(0, -1)), undefined)
  assert.equal(parseResponse('HTTP/1.1 200 OK\r\nContent-Le'), undefined)
  const head = 'HTTP/1.1 503 No\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'
  assert.deepEqual(parseResponse(head + 'HTTP'), { status: 503, worker: undefined, length: head.length, close: true }, 'the next response is not part of this one')
})

/**
 * A server answering every request after `delayMs` (never when negative), recording when each
 * arrived (ns); like the listeners, only a connection's first response says who serves it (x-worker 7).
 */
async function server (delayMs: number): Promise<{ port: number, arrivals: number[], close: () => void }> {
  const arrivals: number[] = []
  const srv = net.createServer(sock => {
    sock.setNoDelay(true)
    let first = true
    sock.on('data', (d: Buffer) => {
      const n = d.toString('latin1').split('\r\n\r\n').length - 1
      for (let i = 0; i < n; i++) {
        arrivals.push(Number(process.hrtime.bigint()))
        const reply = (): void => {
          if (!sock.destroyed) sock.write(`HTTP/1.1 200 OK\r\n${first ? 'x-worker: 7\r\n' : ''}content-length: 3\r\n\r\nok\n`)
          first = false
        }
        if (delayMs < 0) continue
        if (delayMs > 0) setTimeout(reply, delayMs)
        else reply()
      }
    })
    sock.on('error', () => {})
  })
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const a = srv.address()
  return { port: typeof a === 'object' && a !== null ? a.port : 0, arrivals, close: () => srv.close() }
}

/** Runs `fn` with a server answering after `delayMs`, closed afterwards. */
async function withServer (delayMs: number, fn: (s: Awaited<ReturnType<typeof server>>) => Promise<void>): Promise<void> {
  const s = await server(delayMs)
  try {
    await fn(s)
  } finally {
    s.close()
  }
}

test('against a real socket: the rate is met, and sends are evenly spaced', async () => {
  await withServer(0, async s => {
    const r = await pacedDriver.run({ host: '127.0.0.1', port: s.port, connections: 4, durationSec: 1.5, churn: 0, rate: 400 })
    assert.ok(Math.abs(r.responses - 600) <= 6, `${r.responses} responses of 600`)
    assert.equal(r.paced?.unsent, 0)
    const gaps = s.arrivals.slice(1).map((t, i) => (t - (s.arrivals[i] ?? t)) / 1e6).sort((a, b) => a - b)
    const median = gaps[Math.floor(gaps.length / 2)] ?? 0
    assert.ok(Math.abs(median - 2.5) < 0.3, `median gap ${median} ms, 2.5 expected`)
    const within = gaps.filter(g => Math.abs(g - 2.5) < 1.25).length / gaps.length
    assert.ok(within > 0.8, `${(within * 100).toFixed(0)}% of gaps within half an interval`)
    assert.equal(r.connectionsOpened, 4)
    assert.deepEqual(r.byListener.map(l => [l.index, l.responses]), [[7, r.responses]], "every response is put to the listener its connection's first one named")
  })
})

test('a request unanswered for the timeout is counted a timeout and its connection replaced', async () => {
  await withServer(-1, async s => {
    const r = await runPaced({ host: '127.0.0.1', port: s.port, connections: 2, durationSec: 2.6, churn: 0, rate: 10 }, 0.5e9)
    assert.equal(r.responses, 0)
    assert.ok(r.timeouts >= 2, `${r.timeouts} timeouts`)
    assert.equal(r.errorCodes.timeout, r.timeouts)
    assert.ok(r.connectionsOpened > 2, `${r.connectionsOpened} connections opened`)
  })
})

test('a server slower than the rate: requests wait for a connection, are counted late, and the corrected latency carries the wait', async () => {
  await withServer(20, async s => {
    // 2 connections at 20 ms a response carry 100 req/s; 300 are asked.
    const r = await pacedDriver.run({ host: '127.0.0.1', port: s.port, connections: 2, durationSec: 1, churn: 0, rate: 300 })
    assert.ok((r.paced?.late ?? 0) > 50, `late ${r.paced?.late ?? '-'}`)
    assert.ok((r.paced?.late ?? 0) + (r.paced?.unsent ?? 0) > 150, `late ${r.paced?.late ?? '-'} and unsent ${r.paced?.unsent ?? '-'} of 300`)
    assert.ok(r.responses < 150, `${r.responses} responses`)
    assert.ok((r.correctedLatencyMs?.p50 ?? 0) > 5 * r.latencyMs.p50, `corrected p50 ${r.correctedLatencyMs?.p50 ?? '-'} ms against ${r.latencyMs.p50} ms from the send`)
  })
})

test('--churn closes a connection after K responses and opens another', async () => {
  await withServer(0, async s => {
    const r = await pacedDriver.run({ host: '127.0.0.1', port: s.port, connections: 2, durationSec: 1, churn: 5, rate: 200 })
    assert.ok(r.connectionsOpened >= 30, `${r.connectionsOpened} connections for ${r.responses} responses`)
    assert.ok(r.responses >= 190, `${r.responses} responses`)
  })
})

test('a chunked response is read to its last chunk', () => {
  const r = 'HTTP/1.1 200 OK\r\nx-worker: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nok\n\r\n0\r\n\r\n'
  assert.deepEqual(parseResponse(r + 'HTTP/1.1'), { status: 200, worker: 1, length: r.length, close: false })
  assert.equal(parseResponse(r.slice(0, -2)), undefined)
  assert.equal(parseResponse(r.slice(0, -9)), undefined)
})
