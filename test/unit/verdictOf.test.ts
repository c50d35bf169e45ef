// The verdict of a result (report/verdictOf.ts), over synthetic documents analysed for real (addGridAnalysis):
// the host's sentence first; a mode the client bound in most of its slices is not ranked, a stray one only named.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addGridAnalysis } from '../../src/analyse/result.js'
import { verdictOf } from '../../src/report/verdictOf.js'
import { makeDoc, makeRun } from '../fixtures.js'
import type { ModeRun } from '../../src/types/run.js'

const bound = (r: ModeRun, kind: 'client-bound' | 'listener-bound'): ModeRun => ({ ...r, bottleneck: { kind, clientShare: 0.95, listenerShare: 0.5 } as unknown as NonNullable<ModeRun['bottleneck']> })
const speed = { hostSpeed: { cpu: 1, iterations: 1, beforeMs: 1, afterMs: 1.02, ratio: 1.02, perCpu: [{ cpu: 1, beforeMs: 1, afterMs: 1.02 }] }, contention: { cpus: [0, 1], wallMs: 1000, busyMs: 0, ownMs: 0, foreignShare: 0.004, stealShare: 0 } }

/** Two modes over 5 rounds side by side; `clientBoundRounds` of reuseport's slices bound by the client. */
async function doc (clientBoundRounds: number): Promise<string[]> {
  const runs: ModeRun[] = []
  for (let round = 1; round <= 5; round++) {
    for (const [mode, rps] of [['shared', 10_000 + round * 10], ['reuseport', 11_000 - round * 10]] as const) {
      const r = { ...makeRun(mode, [3, 3, 3, 3], rps), trial: round, samples: speed }
      runs.push(bound(r, mode === 'reuseport' && round <= clientBoundRounds ? 'client-bound' : 'listener-bound'))
    }
  }
  const d = makeDoc(runs)
  d.plan = { ...d.plan, modes: ['reuseport', 'shared'], trials: 1, durationSec: 5, interleave: 'rounds' }
  await addGridAnalysis(d, d.plan)
  return verdictOf(d)
}

test("the host's sentence comes first; one client-bound slice of five is named, not a reason to leave the pair unranked", async () => {
  const v = await doc(1)
  assert.match(v[0] ?? '', /^Host: host speed steady within 2\.0% across each slice; other processes used 0\.4% of the run's CPUs/)
  const pair = v.find(s => s.includes('reuseport against shared')) ?? ''
  assert.match(pair, /over 5 paired rounds \(95% interval\): req\/s 1\.\d\dx \[/, pair)
  assert.ok(v.some(s => s.startsWith('Client-bound: reuseport (4 workers, 12 connections, round 1)')))
})

test('a mode the client bound in most of its slices is not ranked', async () => {
  const pair = (await doc(3)).find(s => s.includes('reuseport against shared')) ?? ''
  assert.match(pair, /req\/s not ranked \(the client bound reuseport\)/, pair)
})
