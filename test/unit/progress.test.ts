// Progress lines rendered from engine events (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { positionTag, progressLine } from '../../src/report/progress.js'
import type { CellPosition } from '../../src/types/events.js'

const cell = { mode: 'reuseport', workers: 4, connections: 50, trial: 2 }
const plain: CellPosition = { cell, number: 1, of: 3, grid: false }
const grid: CellPosition = { cell, number: 5, of: 12, grid: true, leftSec: 40 }

test('a position is [n/of], or in a grid the cell and the time left', () => {
  assert.equal(positionTag(plain), '[1/3]')
  assert.equal(positionTag(grid), '[run 5/12: 4 workers, 50 connections, trial 2, about 40 s left]')
  assert.equal(positionTag({ ...grid, number: 1, leftSec: undefined }), '[run 1/12: 4 workers, 50 connections, trial 2]')
})

test('each event has its line; ticks are transient; a finished cell has none', () => {
  assert.deepEqual(progressLine({ type: 'cell-started', at: plain, option: 'SO_REUSEPORT', note: '', steer: 'cpu' }),
    { line: '[1/3] reuseport: starting 4 listener processes (SO_REUSEPORT, steered by classic BPF: cpu)', transient: false })
  assert.equal(progressLine({ type: 'cell-started', at: { ...plain, cell: { ...cell, mode: 'single', workers: 1 } }, option: 'none', note: 'n', steer: null })?.line,
    '[1/3] single: starting 1 listener process (none) - n')
  assert.equal(progressLine({ type: 'load-started', at: plain, durationSec: 5, connections: 50, churn: 1, rate: 1000, restart: true })?.line,
    '[1/3] reuseport: load 5 s, 50 connections, a new connection for every request, 1000 req/s, rolling restart')
  assert.deepEqual(progressLine({ type: 'tick', at: plain, elapsedSec: 5.4, durationSec: 5, responses: 10 }), { line: '[1/3] reuseport: 5/5 s, 10 responses, 2 req/s, 0 s left', transient: true })
  assert.deepEqual(progressLine({ type: 'tick', at: { ...plain, udp: true }, elapsedSec: 2, durationSec: 5, responses: 60000 })?.line, '[1/3] reuseport: 2/5 s, 60,000 datagrams answered, 30,000 datagrams/s, 3 s left')
  assert.equal(progressLine({ type: 'warmed', at: { ...plain, udp: true }, seconds: 2.2, steady: false, rps: [31000, 36000] })?.line,
    '[1/3] reuseport: not steady after 2.2 s (last datagrams/s 31,000, 36,000): measuring anyway, and the result says so')
  assert.equal(progressLine({ type: 'cell-slow', at: plain, elapsedSec: 30, deadlineSec: 122 })?.line,
    "[1/3] reuseport: still starting after 30 s; the start's deadline is 122 s (the usual times the host's pace, measured before the run)")
  assert.equal(progressLine({ type: 'listener-replaced', at: plain, index: 2, drainMs: 30 })?.line, '[1/3] reuseport: replaced listener 2 (old one drained in 30 ms)')
  assert.equal(progressLine({ type: 'cell-done', at: plain, run: {} as never }), undefined)
})
