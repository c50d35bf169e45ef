// A run's headline figures, picked in one place (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { headline } from '../../src/analyse/headline.js'
import { makeRun } from '../fixtures.js'

test('the headline of a run: client throughput and latency, fairness of accepts, errors with timeouts', () => {
  const r = makeRun('shared', [5, 15], 4321)
  r.client.errors = 2
  r.client.timeouts = 1
  const h = headline({ ...r, variant: 'v' })
  assert.equal(h.name, 'shared [v]')
  assert.equal(h.rps, 4321)
  assert.equal(h.p99Ms, r.client.latencyMs.p99)
  assert.equal(h.jain, r.fairness.jain)
  assert.equal(h.busiestShare, 0.75)
  assert.equal(h.errors, 3)
  assert.equal(h.connections, 20)
})
