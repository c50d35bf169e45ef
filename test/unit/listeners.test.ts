// One result per listener index, folding in the processes a rolling restart replaced.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createHistogram, decodeHistogram, encodeHistogram } from '../../src/collect/histogram.js'
import { combineByIndex } from '../../src/collect/listeners.js'
import type { ListenerSnapshot, ListenerStats } from '../../src/types/listener.js'

function snap (index: number, pid: number, accepts: number, latencies: number[], loopP99: number, peer: string): ListenerSnapshot {
  const h = createHistogram()
  for (const v of latencies) h.recordValue(v)
  const stats: ListenerStats = { accepts, requests: latencies.length, errors: 1, resets: 0, open: 0, cpuUserUs: 1000, cpuSystemUs: 500, rssBytes: 1, histogram: encodeHistogram(h), loopDelayMs: { p50: 1, p99: loopP99, max: loopP99 }, peers: { [peer]: accepts } }
  h.destroy()
  return { index, pid, stats }
}

test('a replaced listener: counts and CPU summed, histograms merged, worst loop delay, peers merged, old pids kept', () => {
  const final = [snap(0, 200, 3, [10, 20, 30], 2, '127.0.0.1'), snap(1, 101, 5, [40], 1, '127.0.0.1')]
  const retired = [snap(0, 100, 7, [50, 60], 9, '127.0.0.2')]
  const [l0, l1] = combineByIndex(final, retired)
  assert.ok(l0 !== undefined && l1 !== undefined)
  assert.equal(l0.accepts, 10)
  assert.equal(l0.requests, 5)
  assert.equal(l0.errors, 2)
  assert.equal(l0.cpuMs, 3)
  assert.equal(l0.loopDelayMs.p99, 9)
  assert.deepEqual(l0.peers, { '127.0.0.1': 3, '127.0.0.2': 7 })
  assert.deepEqual(l0.replacedPids, [100])
  assert.equal(l0.pid, 200)
  const merged = decodeHistogram(l0.histogram)
  assert.equal(merged.totalCount, 5)
  merged.destroy()
  assert.equal(l0.latencyUs.count, 5)
  // an index that was not replaced is passed through
  assert.equal(l1.accepts, 5)
  assert.equal(l1.replacedPids, undefined)
})
