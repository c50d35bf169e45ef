// The rows of a result, built once for the terminal and the HTML (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { briefly, comparisonRows, listenerRows, pairedRows, sweepRows } from '../../src/report/rows.js'
import { UDP_WORDS } from '../../src/analyse/words.js'
import { textTable } from '../../src/report/terminal.js'
import { rowsTable } from '../../src/report/html/table.js'
import { pageText } from '../../src/report/html/markup.js'
import { makeDoc, makeRun } from '../fixtures.js'

test('per listener: every column for the page, the brief ones for the terminal, the same figures in both', () => {
  const r = makeRun('reuseport', [30, 10, 0])
  const t = listenerRows(r)
  assert.equal(t.head.length, 16)
  assert.deepEqual(t.rows.map(x => x[2]), ['30', '10', '0'])
  assert.deepEqual(t.rows.map(x => x[3]), ['75.0%', '25.0%', '0.0%'])
  const b = briefly(t)
  assert.equal(b.head.length, 12)
  assert.ok(!b.head.includes('rss MiB') && b.head.includes('client p99 ms'))
  const text = textTable(t)
  const html = pageText(rowsTable(t))
  for (const cell of ['75.0%', '25.0%', '3,000']) {
    assert.ok(text.includes(cell), `terminal has ${cell}`)
    assert.ok(html.includes(`>${cell}<`), `page has ${cell}`)
  }
})

test('comparison: a listener that got nothing makes max/min unbounded, the same word in both renderings; ratios carry an x', () => {
  const doc = makeDoc([makeRun('reuseport', [30, 10, 0], 12000), makeRun('shared', [20, 20, 0], 10000)])
  const t = comparisonRows(doc.runs, doc.comparison)
  const reuseport = t.rows[0] ?? []
  assert.equal(reuseport[t.head.indexOf('max/min')], 'unbounded')
  assert.equal(reuseport[t.head.indexOf('x req/s')], '1.20x')
  assert.match(textTable(t), /unbounded/)
  assert.match(pageText(rowsTable(t)), />unbounded</)
  assert.doesNotMatch(textTable(t), /\binf\b/)
})

test('comparison of a grid: every row keyed by its cell (connections and trial columns), in grid order rather than run order', () => {
  const at = (mode: string, connections: number, trial: number): ReturnType<typeof makeRun> => {
    const r = makeRun(mode, [5, 5])
    return { ...r, trial, load: { ...r.load, connections } }
  }
  const runs = [at('shared', 50, 2), at('reuseport', 10, 1), at('shared', 10, 1), at('reuseport', 50, 2)]
  const t = comparisonRows(runs, [])
  assert.deepEqual(t.head.slice(0, 4), ['mode', 'workers', 'connections', 'trial'])
  assert.deepEqual(t.rows.map(r => `${r[0]}/${r[2]}/${r[3]}`), ['reuseport/10/1', 'reuseport/50/2', 'shared/10/1', 'shared/50/2'])
  const plain = comparisonRows([makeRun('reuseport', [5, 5]), makeRun('shared', [5, 5])], [])
  assert.ok(!plain.head.includes('trial'), 'one cell per mode: no cell columns')
})

test('a UDP result\'s sweep and paired tables are headed in flows and datagrams/s; TCP\'s as before', () => {
  assert.deepEqual(sweepRows([]).head.slice(2, 5), ['connections', 'trials', 'req/s'])
  assert.deepEqual(sweepRows([], 'round', UDP_WORDS).head, ['mode', 'workers', 'flows', 'rounds', 'datagrams/s', 'p99 ms', 'jain', 'pooled p99 ms', 'flows vs random placement (rounds together)', 'rss MiB'])
  assert.deepEqual(pairedRows([]).head.slice(2, 6), ['connections', 'pairs', 'req/s ratio', 'req/s finding'])
  assert.deepEqual(pairedRows([], 'round', UDP_WORDS).head.slice(2, 6), ['flows', 'pairs', 'datagrams/s ratio', 'datagrams/s finding'])
})
