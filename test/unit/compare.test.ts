import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compareToBaseline } from '../../src/analyse/compare.js'
import { account } from '../../src/analyse/accounting.js'

test('ratios against the shared baseline with the same worker count', () => {
  const c = compareToBaseline([
    { mode: 'reuseport', workers: 4, rps: 30000, p99Ms: 5, jain: 0.99 },
    { mode: 'shared', workers: 4, rps: 20000, p99Ms: 10, jain: 0.5 },
    { mode: 'cluster', workers: 2, rps: 1, p99Ms: 1, jain: 1 }
  ], 'shared')
  assert.equal(c.length, 2) // cluster has no 2-worker baseline
  const r = c.find(x => x.mode === 'reuseport')
  assert.equal(r?.throughputRatio, 1.5)
  assert.equal(r?.p99Ratio, 0.5)
  assert.equal(r?.jainRatio, 1.98)
  assert.equal(c.find(x => x.mode === 'shared')?.throughputRatio, 1)
})

test('no baseline, no comparison', () => {
  assert.deepEqual(compareToBaseline([{ mode: 'reuseport', workers: 4, rps: 1, p99Ms: 1, jain: 1 }], 'shared'), [])
})

test('accounting: exact when the counts agree', () => {
  const a = account({ connections: 10, churn: 0 }, { connectionsOpened: 10, responses: 100, errors: 0, timeouts: 0 }, [{ accepts: 4, requests: 40 }, { accepts: 6, requests: 60 }])
  assert.equal(a.acceptsMatch, true)
  assert.equal(a.note, 'exact')
})

test('accounting: explains a difference instead of hiding it', () => {
  const a = account({ connections: 10, churn: 5 }, { connectionsOpened: 30, responses: 100, errors: 0, timeouts: 0 }, [{ accepts: 29, requests: 130 }])
  const c = account({ connections: 10, churn: 5 }, { connectionsOpened: 30, responses: 100, errors: 0, timeouts: 0 }, [{ accepts: 30, requests: 107 }])
  assert.equal(c.explained, true)
  assert.equal(a.acceptsMatch, false)
  assert.equal(a.requestDifference, 30)
  assert.match(a.note, /accepts differ from client connections by -1/)
  assert.match(a.note, /30 more requests than the client received/)
  assert.equal(a.explained, false) // at most 10 (one per connection) can be in flight
  const b = account({ connections: 10, churn: 0 }, { connectionsOpened: 10, responses: 100, errors: 0, timeouts: 0 }, [{ accepts: 10, requests: 150 }])
  assert.equal(b.explained, false)
})
