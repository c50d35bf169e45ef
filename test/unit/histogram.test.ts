import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistograms, summarize } from '../../src/collect/histogram.js'

test('encode/decode keeps counts and percentiles', () => {
  const h = createHistogram()
  for (let i = 1; i <= 1000; i++) h.recordValue(i)
  const back = decodeHistogram(encodeHistogram(h))
  assert.equal(back.totalCount, 1000)
  assert.ok(Math.abs(back.getValueAtPercentile(50) - 500) <= 1)
  assert.ok(Math.abs(back.maxValue - 1000) <= 1)
})

test('merge adds counts of every histogram', () => {
  const a = createHistogram()
  const b = createHistogram()
  for (let i = 0; i < 100; i++) a.recordValue(10)
  for (let i = 0; i < 300; i++) b.recordValue(1000)
  const m = mergeHistograms([encodeHistogram(a), encodeHistogram(b)])
  assert.equal(m.totalCount, 400)
  const s = summarize(m)
  assert.equal(s.p50, 1000)
  assert.ok(Math.abs(s.max - 1000) <= 1)
  assert.equal(summarize(mergeHistograms([encodeHistogram(a)])).p99, 10)
})

test('summarize scales microseconds to milliseconds', () => {
  const h = createHistogram()
  h.recordValue(2500)
  const s = summarize(h, 1000)
  assert.ok(Math.abs(s.p50 - 2.5) < 0.01)
  assert.equal(summarize(createHistogram()).count, 0)
})
