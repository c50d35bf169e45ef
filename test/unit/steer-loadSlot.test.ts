// A listener's slot in the load map (topology/steer/loadSlot.ts) on plain memory: what each event writes,
// the resync from the accept queue, and a replacement taking the slot over. Pure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadBytes, SLOT_BYTES, TOTAL, WORD } from '../../src/kernel/bpf/layout.js'
import { LoadSlot } from '../../src/topology/steer/loadSlot.js'

const words = (mem: ArrayBuffer, slot: number): Uint32Array => new Uint32Array(mem, slot * SLOT_BYTES, SLOT_BYTES / 4)

test('claim takes the slot: owner is this pid, nothing open, and what the program already sent counts as taken but for the queue', () => {
  const mem = new ArrayBuffer(loadBytes(3))
  words(mem, 1)[WORD.assigned] = 40
  const s = new LoadSlot(mem, 3, 1, 777)
  s.claim(2)
  assert.deepEqual([...words(mem, 1)], [40, 38, 0, 777])
})

test('accept and close move taken and open; open never goes below 0', () => {
  const mem = new ArrayBuffer(loadBytes(2))
  const s = new LoadSlot(mem, 2, 0, 1)
  s.claim(0)
  words(mem, 0)[WORD.assigned] = 3 // the program sent three
  s.accepted(); s.accepted()
  assert.deepEqual([...words(mem, 0)].slice(0, 3), [3, 2, 2])
  s.closed(); s.closed(); s.closed()
  assert.equal(words(mem, 0)[WORD.open], 0)
  assert.equal(s.updates, 6)
  s.resetCounts()
  assert.equal(s.updates, 0, 'the measured load counts its own writes')
  assert.deepEqual([...words(mem, 0)].slice(0, 3), [3, 2, 0], 'the map is not touched')
})

test('resync sets taken to sent minus what the kernel says is queued, correcting what the events missed', () => {
  const mem = new ArrayBuffer(loadBytes(2))
  const s = new LoadSlot(mem, 2, 1, 5)
  s.claim(0)
  words(mem, 1)[WORD.assigned] = 100
  s.resync(7)
  assert.equal(words(mem, 1)[WORD.accepted], 93)
  assert.equal(s.resyncs, 1)
  words(mem, 1)[WORD.assigned] = 3
  s.resync(5)
  assert.equal(words(mem, 1)[WORD.accepted], 0xfffffffe, 'wraps as the program\'s 32-bit arithmetic expects')
})

test('once a replacement has claimed the slot, the old listener\'s events write nothing', () => {
  const mem = new ArrayBuffer(loadBytes(1))
  const old = new LoadSlot(mem, 1, 0, 10)
  old.claim(0)
  old.accepted()
  const fresh = new LoadSlot(mem, 1, 0, 11)
  fresh.claim(0)
  const before = [...words(mem, 0)]
  old.accepted(); old.closed(); old.resync(4)
  assert.deepEqual([...words(mem, 0)], before)
  assert.equal(words(mem, 0)[WORD.owner], 11)
})

test('read gives every slot and the program\'s own counts', () => {
  const mem = new ArrayBuffer(loadBytes(2))
  words(mem, 0)[WORD.assigned] = 4
  words(mem, 1)[WORD.open] = 2
  words(mem, 2)[TOTAL.runs] = 9
  words(mem, 2)[TOTAL.fallbacks] = 1
  assert.deepEqual(new LoadSlot(mem, 2, 0, 1).read(), { slots: [{ assigned: 4, accepted: 0, open: 0 }, { assigned: 0, accepted: 0, open: 2 }], runs: 9, fallbacks: 1 })
})
