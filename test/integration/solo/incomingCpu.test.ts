// The incoming-cpu mode (topology/kinds/incomingCpu.ts): which CPU each listener takes, and against the real kernel:
// on loopback the client's CPU decides the listener.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runPlan } from '../../../src/engine/run.js'
import { allowedCpus, capabilities } from '../../../src/native/index.js'
import { buildPlan } from '../../../src/plan/validate.js'
import { kernelFeature } from '../../../src/kernel/features.js'
import { cpuOfListener } from '../../../src/topology/kinds/incomingCpu.js'

test("listeners take the listeners' CPUs in turn", () => {
  assert.deepEqual([0, 1, 2, 3, 4].map(i => cpuOfListener(i, [2, 5])), [2, 5, 2, 5, 2])
})

const runnable = kernelFeature('incoming-cpu-selection').found === true && capabilities().SO_INCOMING_CPU === true && capabilities().cpuAffinity === true && allowedCpus().length >= 2

test('on loopback, a client on one CPU sends every connection to the listener on that CPU', { skip: !runnable && 'needs reuseport selection by SO_INCOMING_CPU (Linux 6.2+) and 2 CPUs' }, async () => {
  const cpus = allowedCpus().slice(0, 2)
  for (const [k, cpu] of cpus.entries()) {
    const plan = buildPlan({ modes: 'incoming-cpu', workers: '2', connections: '8', durationSec: '0.5', warmupSec: '0', pauseSec: '0', trials: '1', clientCpus: String(cpu), listenerCpus: cpus.join(',') })
    const [run] = await runPlan(plan)
    assert.deepEqual(run?.listeners.map(l => l.accepts), k === 0 ? [8, 0] : [0, 8], `client on CPU ${cpu}`)
    assert.deepEqual(run?.loadGenerator.placement?.map(p => p.cpus), [[cpu]], 'where the client ran is recorded')
  }
})
