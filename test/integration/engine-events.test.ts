// The engine's typed events, subscribed to directly (no CLI): the order a
// cell's events come in, and that each finished cell arrives as 'cell-done'
// with the same record runPlan returns. Also a sampler registered for cells,
// and a later trial's warm-up (the first trial's ramp).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { rampTicks } from '../../src/analyse/steady.js'
import { runPlan } from '../../src/engine/run.js'
import { warmedBefore } from '../../src/engine/warm.js'
import { buildPlan } from '../../src/plan/validate.js'
import { progressLine } from '../../src/report/progress.js'
import type { RunEvent } from '../../src/types/events.js'

test('a two-cell run emits started, ready, load, ticks and done per cell, in order, with the records runPlan returns', async () => {
  const plan = buildPlan({ modes: 'single,reuseport', workers: '2', connections: '4', durationSec: '1.2', warmupSec: '0', pauseSec: '0', trials: '1', interleave: 'cells' })
  const events: RunEvent[] = []
  const runs = await runPlan(plan, { onEvent: e => events.push(e) })
  const steps = events.filter(e => e.type !== 'tick').map(e => `${e.at.number}:${e.type}`)
  assert.deepEqual(steps, ['1:cell-started', '1:cell-ready', '1:load-started', '1:cell-done', '2:cell-started', '2:cell-ready', '2:load-started', '2:cell-done'])
  assert.ok(events.some(e => e.type === 'tick'), 'at least one tick in 1.2 s')
  const done = events.flatMap(e => e.type === 'cell-done' ? [e.run] : [])
  assert.deepEqual(done, runs)
  assert.deepEqual(runs.map(r => r.mode), ['single', 'reuseport'])
  const ready = events.find(e => e.type === 'cell-ready' && e.at.cell.mode === 'reuseport')
  assert.ok(ready?.type === 'cell-ready' && ready.workers === 2 && ready.port === runs[1]?.port)
  // The terminal's lines come from the same events; the ones tests and users wait for read as before.
  const lines = events.flatMap(e => progressLine(e) ?? [])
  assert.ok(lines.some(l => /^\[2\/2\] reuseport: load 1\.2 s, 4 connections, keep-alive$/.test(l.line)), lines.map(l => l.line).join('\n'))
  assert.ok(lines.filter(l => l.transient).every(l => / s, [\d,]+ responses, [\d,]+ req\/s, \d+ s left$/.test(l.line)))
})

test('cells: steady state is judged once per mode and configuration; a later trial warms the first one\'s ramp', async () => {
  const plan = buildPlan({ modes: 'single', workers: '1', connections: '4', durationSec: '0.5', warmupSec: '6', pauseSec: '0', trials: '2', interleave: 'cells' })
  const events: RunEvent[] = []
  const [first, second] = await runPlan(plan, { onEvent: e => events.push(e) })
  assert.ok(first?.warmup !== undefined && second?.warmup !== undefined)
  assert.equal(first.warmup.asFirst, undefined, 'the first trial judges its own')
  const before = warmedBefore(first.warmup)
  const said = events.find(e => e.type === 'warm-up' && e.at.cell.trial === 2)
  if (before === null) {
    // Never steady within its cap: the later trial judges its own, as the first did.
    assert.equal(second.warmup.asFirst, undefined)
  } else {
    assert.deepEqual(second.warmup.asFirst, before)
    assert.equal(before.ticks, rampTicks(first.warmup.rps))
    assert.ok(second.warmup.rps.length >= Math.min(before.ticks, 6), JSON.stringify(second.warmup))
    assert.ok(said?.type === 'warm-up' && said.asFirst !== undefined)
  }
  assert.ok(second.warmup.seconds <= 6 + 1.5, `within its cap: ${second.warmup.seconds}`)
})
