// The grid of cells and its seeded shuffle.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { gridCells, udpMark } from '../../src/plan/grid.js'
import { shuffle } from '../../src/random.js'
import { buildPlan } from '../../src/plan/validate.js'

const key = (c: { mode: string, workers: number, connections: number, trial: number }): string => `${c.mode}/${c.workers}/${c.connections}/${c.trial}`

test('one cell per mode, in the order given, when there is one run per mode', () => {
  assert.deepEqual(gridCells(buildPlan({ modes: 'shared,reuseport,cluster', trials: 1 })).map(c => c.mode), ['shared', 'reuseport', 'cluster'])
})

test('every (mode, workers, connections, trial) once; single runs with one listener, once per connection count', () => {
  const cells = gridCells(buildPlan({ modes: 'reuseport,single', workers: '1,2', connections: '4,8', trials: 3 }))
  const keys = cells.map(key)
  assert.equal(new Set(keys).size, keys.length, 'no cell twice')
  assert.equal(cells.filter(c => c.mode === 'reuseport').length, 2 * 2 * 3)
  const single = cells.filter(c => c.mode === 'single')
  assert.equal(single.length, 2 * 3)
  assert.ok(single.every(c => c.workers === 1))
})

test('the order is shuffled, and the same seed gives the same order', () => {
  const plan = buildPlan({ modes: 'reuseport,shared', workers: '1,2', trials: 3, seed: 7 })
  const a = gridCells(plan).map(key)
  assert.deepEqual(gridCells(plan).map(key), a)
  assert.notDeepEqual(a, [...a].sort(), 'not in grid order')
  assert.notDeepEqual(gridCells({ ...plan, seed: 8 }).map(key), a, 'another seed, another order')
})

test('shuffle is a permutation', () => {
  const xs = Array.from({ length: 50 }, (_x, i) => i)
  const s = shuffle(xs, 3)
  assert.deepEqual([...s].sort((p, q) => p - q), xs)
  assert.notDeepEqual(s, xs)
})

test('trials run as blocks, and inside a trial the modes of one configuration run back to back', () => {
  const plan = buildPlan({ modes: 'reuseport,shared,cluster', workers: '2,4', connections: '10,50', trials: 3, seed: 5 })
  const cells = gridCells(plan)
  assert.deepEqual(cells.map(c => c.trial), [...cells.map(c => c.trial)].sort((a, b) => a - b), 'trial 1, then 2, then 3')
  for (let i = 0; i < cells.length; i += 3) {
    const group = cells.slice(i, i + 3)
    assert.equal(new Set(group.map(c => `${c.workers}|${c.connections}|${c.trial}`)).size, 1, `cells ${i}-${i + 2} are one configuration of one trial`)
    assert.deepEqual(group.map(c => c.mode).sort(), ['cluster', 'reuseport', 'shared'])
  }
  const firsts = Array.from({ length: cells.length / 3 }, (_x, g) => cells[g * 3]?.mode)
  assert.ok(new Set(firsts).size > 1, 'which mode goes first changes from group to group')
})

test('with a length named, each cell runs 3 times by default; with none, the default precision from 12 rounds of one trial', () => {
  assert.equal(buildPlan({ durationSec: 5 }).trials, 3)
  assert.equal(gridCells(buildPlan({ modes: 'reuseport,shared', durationSec: 5 })).length, 6)
  const asked = buildPlan({})
  assert.deepEqual([asked.trials, asked.durationSec, asked.precision, asked.maxTimeSec], [1, 12, 0.05, 180])
})

test('a cell of a UDP plan is marked udp in its position; a TCP one carries no mark', () => {
  assert.deepEqual(udpMark(buildPlan({ protocol: 'udp' })), { udp: true })
  assert.deepEqual(udpMark(buildPlan({})), {})
})
