// The helper-process CPU sampler (collect/samplers/helperCpu.ts): reads real
// /proc figures of a process that spends CPU.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { helperCpuIn, helpersSampler } from '../../../src/collect/samplers/helperCpu.js'

test("a helper's CPU over the sample is counted; no helper, nothing to say", { skip: process.platform !== 'linux' }, () => {
  const end = helpersSampler.begin({ port: 0, pids: [], helpers: [process.pid] })
  const until = Date.now() + 400
  while (Date.now() < until) { /* spend CPU */ }
  const got = end()
  assert.deepEqual(got?.pids, [process.pid])
  assert.ok((got?.cpuMs ?? 0) >= 200 && (got?.cpuMs ?? 0) <= 1000, `spent about 400 ms, read ${String(got?.cpuMs)}`)
  assert.equal(helpersSampler.begin({ port: 0, pids: [] })(), null)
  assert.equal(helpersSampler.begin({ port: 0, pids: [], helpers: [2 ** 22 + 7] })(), null, 'a process that is gone')
})

test("a cell's helper CPU is read from its samples only when well formed", () => {
  assert.deepEqual(helperCpuIn({ helpers: { pids: [7], cpuMs: 120 } }), { pids: [7], cpuMs: 120 })
  assert.equal(helperCpuIn({ helpers: { cpuMs: '120' } }), undefined)
  assert.equal(helperCpuIn(undefined), undefined)
})
