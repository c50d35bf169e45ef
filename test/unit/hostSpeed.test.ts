// The host-speed sampler (collect/samplers/hostSpeed.ts): a fixed loop pinned to one CPU, timed
// before and after; the thread gets its CPUs back; crafted figures are refused; drift is said.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DRIFT_WARN, hostSpeedOf, hostSpeedSampler, ITERATIONS, timeLoop } from '../../src/collect/samplers/hostSpeed.js'
import { SAMPLERS } from '../../src/collect/samplers/index.js'
import { allowedCpus } from '../../src/native/index.js'
import { presentations } from '../../src/report/kernel.js'

test('before and after: the loop on every allowed CPU, the fastest timings, the ratio of the one that moved most; the thread keeps its CPUs', { skip: process.platform !== 'linux' && 'thread affinity is Linux here' }, () => {
  const own = allowedCpus(0)
  const end = hostSpeedSampler.begin({ port: 0, pids: [] })
  const h = end()
  assert.ok(h !== null)
  assert.deepEqual(h.perCpu?.map(c => c.cpu), own)
  assert.ok(own.includes(h.cpu))
  const last = own[own.length - 1] ?? 0
  assert.deepEqual(hostSpeedSampler.begin({ port: 0, pids: [], cpus: [last, 9999] })()?.perCpu?.map(c => c.cpu), [last], 'only the CPUs asked that this process may use')
  assert.equal(h.iterations, ITERATIONS)
  assert.ok(h.beforeMs > 0 && h.afterMs > 0, JSON.stringify(h))
  assert.ok(Math.abs(h.ratio - h.afterMs / h.beforeMs) < 0.01, JSON.stringify(h))
  assert.deepEqual(allowedCpus(0), own, 'the thread was given its CPUs back')
  assert.ok(hostSpeedSampler.is(h))
})

test('the loop takes longer for more iterations (it is not folded away)', () => {
  const small = Math.min(timeLoop(100_000), timeLoop(100_000))
  const large = Math.min(timeLoop(10_000_000), timeLoop(10_000_000))
  assert.ok(large > small * 5, `100k: ${small} ms, 10M: ${large} ms`)
})

test('it is registered, checks what it reads back, and warns of drift past the threshold only', () => {
  assert.ok(SAMPLERS.includes(hostSpeedSampler))
  assert.equal(hostSpeedSampler.is({ cpu: 1, iterations: 1, beforeMs: '2', afterMs: 2, ratio: 1 }), false)
  assert.equal(hostSpeedSampler.is(null), false)
  const steady = { cpu: 1, iterations: ITERATIONS, beforeMs: 5, afterMs: 5.1, ratio: 1.02 }
  const drifted = { ...steady, afterMs: 5 * DRIFT_WARN * 1.2, ratio: DRIFT_WARN * 1.2 }
  const line = (v: unknown): string => presentations({ samples: { hostSpeed: v } }).map(p => p.lines.join(' ')).join(' ')
  assert.match(line(steady), /^host speed: a fixed loop on CPU 1 took 5\.00 ms before the load and 5\.10 ms after it \(after\/before 1\.02\)$/)
  assert.match(line(drifted), /warning: the host's speed moved by more than 10% across this cell/)
  assert.equal(line({ cpu: '<b>' }), '', 'crafted figures are not shown')
})

test('with several CPUs, the headline is the CPU that moved most, either way', () => {
  const h = hostSpeedOf([{ cpu: 0, beforeMs: 2, afterMs: 2.1 }, { cpu: 1, beforeMs: 2, afterMs: 1.5 }, { cpu: 2, beforeMs: 2, afterMs: 2.4 }])
  assert.equal(h?.cpu, 1)
  assert.equal(h?.ratio, 0.75)
  assert.equal(hostSpeedOf([]), null)
  assert.ok(hostSpeedSampler.is(h))
  assert.equal(hostSpeedSampler.is({ ...h, perCpu: [{ cpu: 0, beforeMs: 'x', afterMs: 1 }] }), false)
})
