// Phase deadlines come from the plan; the helpers race a promise against a deadline or an abort.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { abortable, loadGraceMs, phaseDeadlines, planBudgetMs, withDeadline } from '../../src/plan/deadlines.js'
import { startDeadlineMs, startDeadlineText } from '../../src/topology/startDeadline.js'
import { buildPlan } from '../../src/plan/validate.js'

test('load deadlines grow with the planned duration; start with the number of listeners', () => {
  const short = phaseDeadlines(buildPlan({ durationSec: 1, warmupSec: 0 }), 2)
  const long = phaseDeadlines(buildPlan({ durationSec: 60, warmupSec: 10 }), 64)
  assert.equal(short.loadMs, 1000 + loadGraceMs(1))
  assert.ok(long.loadMs > 60_000 && long.loadMs < 60_000 + 15_000, String(long.loadMs))
  assert.ok(long.warmupMs > 10_000)
  assert.ok(long.startMs > short.startMs)
  const busy = phaseDeadlines(buildPlan({ restart: true, restartBusyMs: 2000 }), 4)
  assert.ok(busy.restartMs >= 2000 + phaseDeadlines(buildPlan({}), 4).restartMs - 1)
})

test('--deadline-scale N multiplies every phase, the start and the plan budget (a slow host)', () => {
  const base = phaseDeadlines(buildPlan({ durationSec: 2, warmupSec: 2 }), 3, 2)
  const slow = phaseDeadlines(buildPlan({ durationSec: 2, warmupSec: 2, deadlineScale: 10 }), 3, 2)
  for (const k of Object.keys(base) as Array<keyof typeof base>) assert.equal(slow[k], 10 * base[k], k)
  assert.equal(startDeadlineMs(3, 2, 10), 10 * startDeadlineMs(3, 2))
  assert.ok(planBudgetMs(buildPlan({ modes: 'single', deadlineScale: 5 })) > 4 * planBudgetMs(buildPlan({ modes: 'single' })))
  assert.throws(() => buildPlan({ deadlineScale: 0 }), /deadline-scale/)
  assert.throws(() => buildPlan({ deadlineScale: 101 }), /deadline-scale/)
})

test('every deadline is a whole millisecond under a fractional pace or first start (a remote side refuses a fraction)', () => {
  const plan = buildPlan({ durationSec: 1.7, warmupSec: 0.3, deadlineScale: 1 })
  const d = phaseDeadlines(plan, 3, 2, { nodeStartMs: 130, scale: 1.3, firstReadyMs: 4873.37 })
  for (const [k, v] of Object.entries(d)) assert.ok(Number.isInteger(v), `${k} = ${v}`)
  assert.ok(d.startMs >= 4 * 4873.37 && d.startMs < 4 * 4873.37 + 1, String(d.startMs))
  assert.ok(d.stopMs >= 1.3 * 3000 && d.stopMs < 1.3 * 3000 + 1)
})

test('a plan budget covers every cell, its phases and the pauses', () => {
  const one = planBudgetMs(buildPlan({ modes: 'single', durationSec: 1, warmupSec: 0, pauseSec: 0 }))
  const grid = planBudgetMs(buildPlan({ modes: 'reuseport,shared', workers: '1,2', durationSec: 1, warmupSec: 0, pauseSec: 2, trials: 2 }))
  assert.ok(one > 1000)
  assert.ok(grid > 8 * (1000 + 2000), `8 cells of at least 1 s load and 2 s pause: ${grid}`)
})

test('withDeadline rejects with the given error when late, resolves when in time', async () => {
  await assert.rejects(withDeadline(new Promise(() => {}), 30, () => new Error('late')), /late/)
  assert.equal(await withDeadline(Promise.resolve(7), 1000, () => new Error('late')), 7)
})

test('abortable rejects at once on abort, and before starting when already aborted', async () => {
  const ac = new AbortController()
  const p = abortable(new Promise(() => {}), ac.signal, () => new Error('stopped'))
  ac.abort()
  await assert.rejects(p, /stopped/)
  await assert.rejects(abortable(Promise.resolve(1), ac.signal, () => new Error('already')), /already/)
})

test('the start deadline grows with listeners per CPU (-w 64 on 2 CPUs failed 1 time in 2), and says what it allows', () => {
  assert.equal(startDeadlineMs(4, 4), 10_000 + 1200 + 500)
  assert.ok(startDeadlineMs(64, 2) > startDeadlineMs(64, 64) + 10_000)
  assert.equal(phaseDeadlines(buildPlan({}), 8, 2).startMs, startDeadlineMs(8, 2))
  assert.match(startDeadlineText(200, 2), /0\.5 s a listener per CPU \(200 listeners on 2 CPUs\)/)
})
