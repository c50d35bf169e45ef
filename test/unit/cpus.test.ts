// Which CPUs each side of a run gets (proc/cpus.ts): parsing, the default
// rule, explicit sets and what cannot be done (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cpuListText, describeCpuSets, parseCpuChoice, resolveCpuSets } from '../../src/proc/cpus.js'

test('a CPU list: numbers and ranges, sorted without repeats; auto and all as words; anything else refused', () => {
  assert.deepEqual(parseCpuChoice('client-cpus', '3,0-1,1'), [0, 1, 3])
  assert.equal(parseCpuChoice('client-cpus', 'auto'), 'auto')
  assert.equal(parseCpuChoice('client-cpus', 'all'), 'all')
  assert.equal(parseCpuChoice('client-cpus', undefined), 'auto')
  assert.deepEqual(parseCpuChoice('client-cpus', 2), [2])
  for (const bad of ['', '1-', '3-1', 'a', '0,,1', '2048', '-1']) assert.throws(() => parseCpuChoice('client-cpus', bad), /--client-cpus takes auto, all, or CPU numbers/, bad)
  assert.throws(() => parseCpuChoice('listener-cpus', ['0', '1']), /--listener-cpus was given 2 times/)
  assert.equal(cpuListText([6, 0, 1, 2, 3]), '0-3,6')
})

test('the default rule: a quarter of the allowed CPUs (at least one, the lowest) for the client, the rest for the listeners', () => {
  assert.deepEqual(resolveCpuSets('auto', 'auto', [0, 1], true), { ...resolveCpuSets('auto', 'auto', [0, 1], true), client: [0], listeners: [1] })
  const eight = resolveCpuSets('auto', 'auto', [0, 1, 2, 3, 4, 5, 6, 7], true)
  assert.deepEqual([eight.client, eight.listeners], [[0, 1], [2, 3, 4, 5, 6, 7]])
  const gapped = resolveCpuSets('auto', 'auto', [2, 5, 7], true)
  assert.deepEqual([gapped.client, gapped.listeners], [[2], [5, 7]], 'the CPUs this process may use, not 0..n')
  const one = resolveCpuSets('auto', 'auto', [0], true)
  assert.deepEqual([one.client, one.listeners], [null, null])
  assert.match(one.rule, /only 1 CPU/)
  assert.match(describeCpuSets(eight), /^client on CPUs 0-1, listeners on CPUs 2-7 \(default: /)
})

test('one side given: the other gets the remaining CPUs; all leaves a side unpinned; overlap is said', () => {
  const c = resolveCpuSets([0], 'auto', [0, 1, 2, 3], true)
  assert.deepEqual([c.client, c.listeners, c.rule], [[0], [1, 2, 3], 'as given'])
  const l = resolveCpuSets('auto', [0, 1, 2, 3], [0, 1, 2, 3], true)
  assert.deepEqual([l.client, l.listeners], [[0, 1, 2, 3], [0, 1, 2, 3]], 'none left: all')
  assert.match(l.rule, /share CPUs/)
  const all = resolveCpuSets('all', 'all', [0, 1], true)
  assert.deepEqual([all.client, all.listeners], [null, null])
  assert.match(describeCpuSets(all), /client not pinned, listeners not pinned/)
})

test('CPUs this process may not use, or pinning where the addon has none, are refused as bad input', () => {
  assert.throws(() => resolveCpuSets([4], 'auto', [0, 1], true), (e: Error & { exitCode?: number }) => /--client-cpus 4: this process may run only on CPUs 0-1/.test(e.message) && e.exitCode === 2)
  assert.throws(() => resolveCpuSets('auto', [0], [0, 1], false), /need CPU pinning/)
  assert.deepEqual(resolveCpuSets('auto', 'auto', [], false).client, null, 'auto where there is no pinning: not pinned, said why')
})
