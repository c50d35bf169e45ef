// Several client threads' load results as one (load/merge.ts): counters add
// up, histograms merge exactly, latency by listener merges per listener (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createHistogram, decodeHistogram, encodeHistogram, summarize } from '../../src/collect/histogram.js'
import { mergeLoadResults, shares } from '../../src/load/merge.js'
import type { LoadResult } from '../../src/types/load.js'

function part (values: number[], listener: number): LoadResult {
  const h = createHistogram()
  for (const v of values) h.recordValue(v)
  const enc = encodeHistogram(h)
  const s = summarize(h, 1000)
  h.destroy()
  return {
    requests: values.length, responses: values.length, autocannonResponses: values.length, sent: values.length + 1, errors: 1, timeouts: 0, non2xx: 0,
    connectionsOpened: 2, durationSec: 1, rps: values.length, bytes: 10 * values.length, latencyMs: s, histogram: enc,
    byListener: [{ index: listener, responses: values.length, latencyMs: s, histogram: enc }], errorCodes: { ECONNRESET: 1 }, errorTimesMs: [5],
    cpu: { userMs: 1, systemMs: 1, wallMs: 1000, coreShare: 0.5, saturated: false }
  }
}

test('counters add up and histograms merge exactly', () => {
  const a = part([100, 200, 300], 0)
  const b = part([1000, 2000], 1)
  const c = part([400], 0)
  const m = mergeLoadResults([a, b, c], { userMs: 3, systemMs: 3, wallMs: 1000, coreShare: 1.5, saturated: false })
  assert.deepEqual([m.responses, m.sent, m.errors, m.connectionsOpened, m.bytes, m.rps], [6, 9, 3, 6, 60, 6])
  const h = decodeHistogram(m.histogram)
  assert.equal(h.totalCount, 6)
  assert.equal(h.maxValue >= 2000 && h.minNonZeroValue <= 100, true)
  h.destroy()
  assert.deepEqual(m.byListener.map(x => [x.index, x.responses]), [[0, 4], [1, 2]])
  assert.deepEqual(m.errorCodes, { ECONNRESET: 3 })
  assert.equal(m.cpu.coreShare, 1.5, "the whole process's CPU, from the caller")
})

test('shares differ by at most one and add up', () => {
  assert.deepEqual(shares(50, 4), [13, 13, 12, 12])
  assert.deepEqual(shares(3, 3), [1, 1, 1])
  assert.equal(shares(2001, 7).reduce((x, y) => x + y, 0), 2001)
})
