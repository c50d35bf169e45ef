// Which side limited a cell (analyse/bottleneck.ts), and the verdicts that
// then refuse to rank a client-bound cell's throughput (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { belowLimits, bottleneckOf } from '../../src/analyse/bottleneck.js'
import { clientBound } from '../../src/analyse/verdict.js'

const base = { durationSec: 5, workers: 4 }

test('client at its one core and listeners with CPU to spare: client-bound; the reverse: listener-bound; both or neither: unclear', () => {
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 0.97, listenerCpuMs: 2000, listenerCpus: 1 }).kind, 'client-bound')
  const l = bottleneckOf({ ...base, clientCoreShare: 0.5, listenerCpuMs: 4800, listenerCpus: 1 })
  assert.deepEqual([l.kind, l.listenerShare, l.listenerCapacity], ['listener-bound', 0.96, 1])
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 0.95, listenerCpuMs: 4900, listenerCpus: 1 }).kind, 'unclear')
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 0.3, listenerCpuMs: 1000, listenerCpus: 1 }).kind, 'unclear')
})

test("the listeners' capacity is min(processes, their CPUs) cores", () => {
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 0.5, listenerCpuMs: 9500, listenerCpus: 2 }).listenerCapacity, 2)
  assert.equal(bottleneckOf({ ...base, workers: 1, clientCoreShare: 0.5, listenerCpuMs: 4600, listenerCpus: 8 }).kind, 'listener-bound', 'one process can use one core')
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 0.5, listenerCpuMs: 4600, listenerCpus: 8 }).kind, 'unclear', '4 processes on 8 CPUs at 1 core are far from bound')
})

test('a client-bound cell is named, its throughput not ranked, and the fix said', () => {
  assert.equal(clientBound([]), undefined)
  assert.match(clientBound(['cluster', 'cluster']) ?? '', /^Client-bound: cluster - .* is not ranked; give the client more CPUs and threads \(--client-cpus, --client-threads\) or run fewer listeners\.$/)
})

test('a fixed rate that was delivered set the pace, however busy the client was', () => {
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 1, listenerCpuMs: 500, listenerCpus: 1, rateMet: true }).kind, 'rate-bound')
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 1, listenerCpuMs: 500, listenerCpus: 1, rateMet: false }).kind, 'client-bound', 'a rate not delivered: the client could not keep up')
})

test("a client thread whose event loop never waited is at its limit, even at a low CPU share (starved on shared CPUs); the busiest thread counts", () => {
  const starved = bottleneckOf({ ...base, clientCoreShare: 0.55, clientLoops: [0.97], listenerCpuMs: 6000, listenerCpus: 2 })
  assert.deepEqual([starved.kind, starved.clientLoopBusy], ['client-bound', 0.97])
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 1.1, clientCores: 2, clientLoops: [0.5, 0.93], listenerCpuMs: 2000, listenerCpus: 1 }).kind, 'client-bound')
  const waiting = bottleneckOf({ ...base, clientCoreShare: 0.5, clientLoops: [0.5], listenerCpuMs: 4800, listenerCpus: 1 })
  assert.deepEqual([waiting.kind, waiting.clientLoopBusy], ['listener-bound', 0.5])
  assert.equal(bottleneckOf({ ...base, clientCoreShare: 0.5, listenerCpuMs: 4800, listenerCpus: 1 }).clientLoopBusy, undefined, 'older results have no loop figure')
})

test('neither side at its limit in most cells: said, with each side\'s use, and why the ratios then differ from an idle host\'s', () => {
  const busy = bottleneckOf({ ...base, clientCoreShare: 0.48, listenerCpuMs: 3300, listenerCpus: 1 })
  const quiet = bottleneckOf({ ...base, clientCoreShare: 0.85, listenerCpuMs: 4750, listenerCpus: 1 })
  const said = belowLimits([busy, busy, { ...busy, listenerShare: 0.77 }, quiet]) ?? ''
  assert.match(said, /^Neither side was at its limit in 3 of 4 cells: the listeners used 66% to 77% of their CPU and the client 48% of its cores/)
  assert.match(said, /costs less throughput than when the listeners are the limit/)
  assert.equal(belowLimits([busy, quiet, quiet]), undefined, 'most cells had a side at its limit')
  assert.equal(belowLimits([busy, quiet]), undefined, 'half is not most')
  assert.equal(belowLimits([undefined]), undefined, 'older results: nothing known')
})
