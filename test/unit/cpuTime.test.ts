// CPU time from /proc (proc/cpuTime.ts): a process's stat line and the per-CPU lines of /proc/stat (pure parsing).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseProcStat, statTicks } from '../../src/proc/cpuTime.js'

test('utime + stime are read after the process name, whatever it holds', () => {
  const fields = ['S', '1', '2', '3', '0', '-1', '4194560', '100', '0', '0', '0', '250', '40', '0', '0']
  assert.equal(statTicks(`1234 (node) ${fields.join(' ')}`), 290)
  assert.equal(statTicks(`1234 (a b) c)) ${fields.join(' ')}`), 290)
  assert.equal(statTicks('1234 (node) S 1'), undefined)
})

test("/proc/stat: each CPU's busy, steal and total ticks; the summary line and other lines are not CPUs", () => {
  const text = [
    'cpu  300 10 100 5000 20 5 7 3 0 0',
    'cpu0 100 5 50 2500 10 2 3 1 40 0',
    'cpu1 200 5 50 2500 10 3 4 2 0 0',
    'intr 12345',
    'ctxt 99'
  ].join('\n')
  const m = parseProcStat(text)
  assert.deepEqual([...m.keys()], [0, 1])
  // busy = user + nice + system + irq + softirq; guest (40) is inside user already.
  assert.deepEqual(m.get(0), { busy: 160, steal: 1, total: 2671 })
  assert.deepEqual(m.get(1), { busy: 262, steal: 2, total: 2774 })
  assert.equal(parseProcStat('cpu7 1 2').get(7)?.busy, 3, 'an old kernel with fewer fields')
})
