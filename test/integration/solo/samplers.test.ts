// Samplers: the registry's host facts, and a sampler of a cell plugged into a
// real run (it reads each listener's context switches from /proc: the kernel's
// own count, not ours).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { beginSamplers, sampleRun } from '../../../src/collect/samplers/index.js'
import type { SampleTarget, Sampler } from '../../../src/collect/samplers/sampler.js'
import { runPlan } from '../../../src/engine/run.js'
import { buildPlan } from '../../../src/plan/validate.js'

test('the run samplers give the host facts every result records; a sampler with nothing to say is left out', () => {
  const { host, others } = sampleRun()
  assert.equal(host.platform, process.platform)
  assert.ok(host.cpus > 0)
  assert.deepEqual(others, {})
  const quiet: Sampler = { name: 'quiet', description: 'never has figures', scope: 'cell', is: (v: unknown): v is unknown => v !== null, begin: () => () => null }
  assert.deepEqual(beginSamplers('cell', { port: 1, pids: [] }, [quiet])(), {})
})

const switches = (pid: number): number => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN)

test('a cell sampler sees the cell\'s port and listener pids around the load, and its figures are recorded with the cell', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const seen: SampleTarget[] = []
  const ctxSwitches: Sampler<Record<string, number>> = {
    name: 'ctxSwitches',
    description: 'voluntary context switches of each listener during the load (from /proc)',
    scope: 'cell',
    is: (v: unknown): v is Record<string, number> => typeof v === 'object' && v !== null,
    begin: target => {
      seen.push(target)
      const before = new Map(target.pids.map(p => [p, switches(p)]))
      return () => Object.fromEntries(target.pids.map(p => [String(p), switches(p) - (before.get(p) ?? 0)]))
    }
  }
  const plan = buildPlan({ modes: 'reuseport', workers: '2', connections: '4', durationSec: '1', warmupSec: '0', pauseSec: '0', trials: '1' })
  const [run] = await runPlan(plan, {}, { samplers: [ctxSwitches] })
  assert.ok(run !== undefined)
  assert.equal(seen.length, 1)
  assert.equal(seen[0]?.port, run.port)
  assert.deepEqual([...(seen[0]?.pids ?? [])].sort(), run.listeners.map(l => l.pid).sort())
  const figures = run.samples?.ctxSwitches as Record<string, number> | undefined
  assert.ok(figures !== undefined, 'recorded with the cell')
  for (const l of run.listeners) assert.ok((figures[String(l.pid)] ?? 0) > 0, `listener ${l.pid} blocked and woke while serving ${l.requests} requests`)
})

test('no cell sampler: no samples; the registry with --queue-sample-ms 0: the counters but no queues', async () => {
  const plan = buildPlan({ modes: 'single', connections: '2', durationSec: '0.5', warmupSec: '0', pauseSec: '0', trials: '1', queueSampleMs: '0' })
  const [bare] = await runPlan(plan, {}, { samplers: [] })
  assert.equal(bare?.samples, undefined)
  const [run] = await runPlan(plan)
  assert.equal(run?.samples?.queues, undefined)
  assert.equal(run?.samples?.netstat !== undefined, process.platform === 'linux')
})
