// The host check (analyse/hostCheck.ts) and contention's arithmetic (collect/samplers/contention.ts):
// which rounds are unstable and left out, and the sentence every comparison carries (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hostCheckOf, leaveOutUnstable, roundUnstableBecause, runsForRatios, unstableBecause } from '../../src/analyse/hostCheck.js'
import type { HostRun } from '../../src/analyse/hostCheck.js'
import { contentionOf, contentionSampler, unpinnedCpus } from '../../src/collect/samplers/contention.js'

const speed = (beforeMs: number, afterMs: number, cpu = 1): HostRun['hostSpeed'] => ({ cpu, iterations: 1, beforeMs, afterMs, ratio: afterMs / beforeMs, perCpu: [{ cpu, beforeMs, afterMs }] })
const cont = (foreignShare: number, stealShare = 0): HostRun['contention'] => ({ cpus: [0, 1], wallMs: 1000, busyMs: 0, ownMs: 0, foreignShare, stealShare })
const run = (mode: string, trial: number, o: Partial<HostRun> = {}): HostRun => ({ mode, workers: 4, connections: 50, trial, hostSpeed: speed(2, 2.02), contention: cont(0.003), ...o })

test('a slice is unstable by itself past 10% of speed either way; a share of its CPUs to others is a level, not a change', () => {
  assert.deepEqual(unstableBecause(run('a', 1)), [])
  assert.deepEqual(unstableBecause(run('a', 1, { hostSpeed: speed(2, 3.2) })), ['host speed fell 38% on CPU 1'])
  assert.deepEqual(unstableBecause(run('a', 1, { hostSpeed: speed(2, 1.6) })), ['host speed rose 25% on CPU 1'])
  assert.deepEqual(unstableBecause(run('a', 1, { hostSpeed: speed(2, 2.2) })), [], 'a 9% slower loop is within')
  assert.deepEqual(unstableBecause(run('a', 1, { hostSpeed: speed(2.2, 2) })), [], '10% faster exactly is within')
  assert.deepEqual(unstableBecause(run('a', 1, { contention: cont(0.46) })), [], 'a steady 46% is no change within the slice')
  assert.deepEqual(unstableBecause({ mode: 'a', workers: 1, connections: 1, trial: 1 }), [], 'no samples: nothing to say')
})

test('a round is judged by what changed within it: other processes\' share moving more than 15 points, or speed between its slices', () => {
  assert.deepEqual(roundUnstableBecause([run('a', 1, { contention: cont(0.46) }), run('b', 1, { contention: cont(0.52) })]), [], 'steady contention keeps the round')
  assert.deepEqual(roundUnstableBecause([run('a', 1, { contention: cont(0.05) }), run('b', 1, { contention: cont(0.25) })]), ['other processes took from 5.0% to 25% of CPUs 0,1 between the round\'s slices'])
  assert.deepEqual(roundUnstableBecause([run('a', 1, { contention: cont(0, 0) }), run('b', 1, { contention: cont(0, 0.2) })]), ['steal moved from 0.0% to 20% between the round\'s slices'])
  assert.deepEqual(roundUnstableBecause([run('a', 1, { hostSpeed: speed(2, 2.1) }), run('b', 1, { hostSpeed: speed(2.3, 2.35) })]), ['host speed moved 18% on CPU 1 between the round\'s slices'])
  assert.deepEqual(roundUnstableBecause([run('a', 1, { hostSpeed: speed(2, 3.2) }), run('b', 1)]), ['a: host speed fell 38% on CPU 1'], 'a slice that moved by itself is said once')
})

test('one round whose host changed is left out whole (both modes of the pair), the other rounds stay', () => {
  const runs = [run('a', 1), run('b', 1), run('a', 2), run('b', 2, { contention: cont(0.3) }), run('a', 3), run('b', 3)]
  const { kept, leftOut } = leaveOutUnstable(runs)
  assert.deepEqual(kept.map(r => `${r.mode}${r.trial}`), ['a1', 'b1', 'a3', 'b3'])
  assert.deepEqual(leftOut, [{ workers: 4, connections: 50, trial: 2, reasons: ['other processes took from 0.3% to 30% of CPUs 0,1 between the round\'s slices'] }])
  const other = leaveOutUnstable([...runs, { ...run('a', 2), workers: 8 }])
  assert.equal(other.kept.length, 5, 'round 2 of another configuration is not touched')
})

test('never an empty answer: a configuration whose every round changed keeps them all, named not comparable', () => {
  const bursty = [run('a', 1, { contention: cont(0.6) }), run('b', 1), run('a', 2), run('b', 2, { contention: cont(0.5) })]
  const calm = [run('a', 1), run('b', 1)].map(r => ({ ...r, workers: 8 }))
  const { kept, notComparable } = runsForRatios([...bursty, ...calm])
  assert.equal(kept.length, 6)
  assert.deepEqual(notComparable, [{ workers: 4, connections: 50 }])
  const check = hostCheckOf([...bursty, ...calm], 'round')
  assert.deepEqual(check.notComparable, [{ workers: 4, connections: 50 }])
  assert.match(check.statement, /2 of 3 rounds changed within them; where every round of a configuration did \(4 workers, 50 connections\), all are shown, marked "host unstable: not comparable"/)
  assert.deepEqual(runsForRatios(bursty, true).notComparable, [], '--unstable keep keeps every round as it is')
})

test('a steady share of other processes is said as a level that paired rounds cancel', () => {
  const busy = hostCheckOf([run('a', 1, { contention: cont(0.44) }), run('b', 1, { contention: cont(0.48) })], 'round')
  assert.equal(busy.leftOut.length, 0)
  assert.match(busy.statement, /other processes used 46% of the run's CPUs throughout \(44% to 48% in one slice\); paired rounds cancel a steady share\.$/)
})

test('the sentence: steady and uncontended, or what fell and how many rounds were left out', () => {
  const quiet = hostCheckOf([run('a', 1), run('b', 1, { hostSpeed: speed(2, 2.08) })], 'round')
  assert.equal(quiet.statement, "Host: host speed steady within 3.8% across each slice; other processes used 0.3% of the run's CPUs (at most 0.3% in one slice).")
  assert.equal(quiet.leftOut.length, 0)
  const fell = hostCheckOf([run('a', 1), run('b', 1), run('a', 5, { hostSpeed: speed(2, 3.2) }), run('b', 5)], 'round')
  assert.match(fell.statement, /^Host: a: host speed fell 38% on CPU 1 during round 5; 1 of 2 rounds left out of ratios; other processes used/)
  const drifted = hostCheckOf([run('a', 1, { hostSpeed: speed(2, 2) }), run('a', 2, { hostSpeed: speed(3, 3) })], 'trial')
  assert.match(drifted.statement, /it drifted 33% over the run \(paired trials cancel slow drift\)/)
  assert.match(hostCheckOf([{ mode: 'a', workers: 1, connections: 1, trial: 1 }], 'trial').statement, /not checked/)
})

test("contention: the CPUs' busy time less the run's own, as a share of their time; steal beside it", () => {
  const before = new Map([[0, { busy: 100, steal: 0, total: 1000 }], [1, { busy: 100, steal: 0, total: 1000 }], [2, { busy: 0, steal: 0, total: 0 }]])
  const after = new Map([[0, { busy: 180, steal: 2, total: 1100 }], [1, { busy: 150, steal: 0, total: 1100 }], [2, { busy: 100, steal: 0, total: 100 }]])
  // CPUs 0 and 1 over 1 s: 130 ticks busy (1300 ms) of 2000 ms; own processes 120 ticks (1200 ms); CPU 2 is not the run's.
  const c = contentionOf([0, 1], before, after, 120, 1000)
  assert.deepEqual(c, { cpus: [0, 1], wallMs: 1000, busyMs: 1300, ownMs: 1200, foreignShare: 0.05, stealShare: 0.01 })
  assert.equal(contentionOf([0, 1], before, after, 200, 1000).foreignShare, 0, 'own time above busy (rounding) is no negative share')
  assert.ok(contentionSampler.is(c))
  assert.equal(contentionSampler.is({ ...c, foreignShare: '0' }), false)
})

test('an unpinned run counts the CPUs of its affinity mask, not 0..N-1', () => {
  assert.deepEqual(unpinnedCpus([2, 3], [0, 1, 2, 3]), [2, 3], 'taskset -c 2,3: the CPUs the run can use')
  assert.deepEqual(unpinnedCpus([0, 1, 2, 3], [3, 1, 0, 2]), [0, 1, 2, 3])
  assert.deepEqual(unpinnedCpus([], [0, 1]), [0, 1], 'no mask: every CPU counted')
  assert.deepEqual(unpinnedCpus([7], [0, 1]), [0, 1], 'a mask /proc/stat does not count: every CPU counted')
})
