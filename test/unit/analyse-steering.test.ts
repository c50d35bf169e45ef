// The stall share and the steering record (analyse/steering.ts): the interval's coverage against a seeded
// simulation, and the record from listeners' snapshots. Pure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { programLength, stallShareOf, steeringRecord } from '../../src/analyse/steering.js'
import { rng } from '../../src/random.js'
import type { ListenerSnapshot } from '../../src/types/listener.js'
import type { SteeringState } from '../../src/types/native.js'

test('no stalls: nothing to say; no new connections: 0 with no interval', () => {
  assert.equal(stallShareOf([]), undefined)
  assert.deepEqual(stallShareOf([{ queued: 0, opened: 0 }, { queued: 0, opened: 0 }]), { share: 0, lo: null, hi: null, stalls: 2, queued: 0, opened: 0 })
})

test('the pooled share over stalls, with an interval that covers the true share about 95% of the time (seeded simulation)', () => {
  const random = rng(2026)
  const binomial = (n: number, p: number): number => { let k = 0; for (let i = 0; i < n; i++) if (random() < p) k++; return k }
  let covered = 0
  const sims = 400
  for (let s = 0; s < sims; s++) {
    const p = 0.25
    // Stalls of varying traffic, each a binomial draw of its new connections.
    const windows = [...Array(12).keys()].map(() => { const opened = 20 + Math.floor(random() * 60); return { opened, queued: binomial(opened, p) } })
    const sh = stallShareOf(windows)
    assert.ok(sh !== undefined && sh.lo !== null && sh.hi !== null)
    if (sh.lo <= p && p <= sh.hi) covered++
  }
  assert.ok(covered / sims > 0.90 && covered / sims < 0.99, `coverage ${covered / sims}`)
})

test('the steering record takes the latest map (most runs), sums every process\'s writes and disassembles the creator\'s dump', () => {
  const state = (runs: number, updates: number, insns?: string): SteeringState => ({
    policy: 'least-loaded', ids: { sockarray: 1, load: 2, prog: 3 }, slots: [{ assigned: runs, accepted: runs, open: 0 }, { assigned: 0, accepted: 0, open: 0 }],
    runs, fallbacks: 1, runCnt: 0, runTimeNs: 0, updates, resyncs: 2, ...(insns === undefined ? {} : { insns })
  })
  const snap = (index: number, ebpf: SteeringState): ListenerSnapshot => ({ index, pid: 100 + index, stats: { steering: { attached: true, ebpf } } as unknown as ListenerSnapshot['stats'] })
  const exitInsn = Buffer.from('9500000000000000', 'hex').toString('base64')
  const rec = steeringRecord([snap(0, state(10, 5, exitInsn)), snap(1, state(12, 7))], 2)
  assert.ok(rec !== undefined)
  assert.equal(rec.runs, 12)
  assert.equal(rec.updates, 12)
  assert.equal(rec.updatesPerSec, 6)
  assert.equal(rec.resyncs, 4)
  assert.equal(rec.kernelRuns, null, 'the kernel counted nothing')
  assert.deepEqual(rec.dump, ['0: exit'])
  assert.equal(rec.instructions, programLength({ policy: 'least-loaded', slots: rec.slots }))
  assert.equal(steeringRecord([], 1), undefined)
})
