// The kernel's view in words and rows (report/kernel.ts) and the scenario
// lines built on it (report/scenario.ts), from fixed samples (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countersText, kernelLines, queueRows, queuesOf, queuesText } from '../../src/report/kernel.js'
import { textTable } from '../../src/report/terminal.js'
import { scenarioLines } from '../../src/report/scenario.js'
import type { AcceptQueues, SocketQueue } from '../../src/types/kernel.js'
import { makeRun } from '../fixtures.js'

const sock = (owner: string, listeners: number[], max: number, mean: number, seenMs: [number, number] = [0, 1000], lastQueued = 0): SocketQueue =>
  ({ owner, listeners, inode: 1, backlog: 511, max, p99: max, mean, drops: 0, series: [0, max], seenMs, lastQueued })
const queues = (sockets: SocketQueue[]): AcceptQueues => ({ intervalMs: 20, tMs: [0, 1000], sockets })

test('the queue table says when a socket was there only part of the load', () => {
  const t = queueRows(queues([sock('listener 0', [0], 3, 1, [0, 400], 2), sock('listener 0', [0], 5, 2, [300, 1000])]))
  assert.deepEqual(t.rows.map(r => r.slice(0, 4)), [['listener 0', '0.0-0.4 s', '511', '3'], ['listener 0', '0.3-1.0 s', '511', '5']])
  assert.deepEqual(queueRows(queues([sock('listener 1', [1], 0, 0)])).rows[0]?.[1], 'whole load')
})

test('counters: those that moved with their meaning, or that none did, or why none were read', () => {
  assert.match(countersText({ deltas: { ListenOverflows: 12, ListenDrops: 0 }, missing: ['TCPMigrateReqSuccess'] }), /^kernel counters over the load: ListenOverflows \+12 \(a handshake completed but the accept queue was full.*\); this kernel has no TCPMigrateReqSuccess$/)
  assert.match(countersText({ deltas: { ListenDrops: 0 }, missing: [] }), /none moved \(ListenDrops\)/)
  assert.equal(countersText({ deltas: {}, missing: [], skipped: 'not Linux' }), 'kernel counters: not read (not Linux)')
  assert.match(countersText({ deltas: { RcvbufErrors: 40, InErrors: 40, NoPorts: 0 }, missing: [] }), /^kernel counters over the load: RcvbufErrors \+40 \(a datagram dropped because its socket's receive buffer was full\); InErrors \+40 \(a datagram received but not delivered/)
})

test('the queues sentence names the deepest socket, or that nothing waited', () => {
  assert.match(queuesText(queues([sock('listener 0', [0], 0, 0)])), /no connection was seen waiting to be accepted$/)
  assert.match(queuesText(queues([sock('listener 0', [0], 2, 1), sock('listener 1', [1], 9, 3)])), /the deepest: listener 1, 9 waiting at most \(backlog 511\)$/)
  assert.equal(queuesOf({ samples: { queues: 'nonsense' } }), undefined)
})

test('stall: the stalled listener\'s queue beside the others\'; one shared socket cannot say', () => {
  const r = makeRun('reuseport', [5, 5, 5])
  r.scenario = { stall: { index: 0, forMs: 100, everyMs: 500 } }
  r.samples = { queues: queues([sock('listener 0', [0], 40, 20), sock('listener 1', [1], 30, 6), sock('listener 2', [2], 25, 7)]) }
  assert.ok(scenarioLines(r).includes("accept queue of the stalled listener 0: max 40, p99 40, mean 20.00; the others' at most: max 30, p99 30, mean 7.00 (from the kernel, every 20 ms)"))
  r.samples = { queues: queues([sock('shared by listeners 0, 1, 2', [0, 1, 2], 46, 30)]) }
  assert.ok(scenarioLines(r).some(l => /^accept queue: one socket for every listener \(shared by listeners 0, 1, 2\), max 46: the kernel cannot tell/.test(l)))
})

test('restart: what waited in the sockets that closed, beside the migrations', () => {
  const r = makeRun('reuseport', [5, 5])
  r.scenario = { restart: { events: [], busyMs: 50, windowMs: [0, 1000], errorsInWindow: 0, errorsOutsideWindow: 0, errorCodes: {}, tcpMigrateReq: '1' } }
  r.samples = {
    queues: queues([sock('listener 0', [0], 9, 3, [0, 400], 7), sock('listener 0', [0], 5, 2, [300, 1000]), sock('listener 1', [1], 4, 1, [0, 700], 2)]),
    netstat: { deltas: { TCPMigrateReqSuccess: 8, TCPMigrateReqFailure: 0 }, missing: [] }
  }
  assert.ok(scenarioLines(r).includes('accept queues at close: 2 listening sockets closed during the load with 9 connections waiting at their last samples (listener 0 7, listener 1 2); the kernel moved 8 to another listener and failed to move 0 (TCPMigrateReqSuccess, TCPMigrateReqFailure)'))
})

test('the terminal lines: the sentence, the table, the counters', () => {
  const r = makeRun('reuseport', [5])
  assert.deepEqual(kernelLines(r, textTable), [], 'nothing sampled, nothing said')
  r.samples = { queues: queues([sock('listener 0', [0], 1, 0.5)]), netstat: { deltas: { ListenDrops: 0 }, missing: [] } }
  const lines = kernelLines(r, textTable)
  assert.equal(lines.length, 3)
  assert.match(lines[1] ?? '', /^socket +there +backlog/)
})
