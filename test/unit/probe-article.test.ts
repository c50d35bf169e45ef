// The article's tables as shipped, checked against the article text itself, and the comparison logic.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { FREEBSD_TABLE, LINUX_TABLE, articleTable } from '../../src/probe/article.js'
import type { ArticleCell } from '../../src/probe/article.js'
import { expectedFor, matches, summarizeCells } from '../../src/probe/compare.js'
import type { ProbeCell } from '../../src/types/probe.js'

/** The article's four result tables, their lines as printed (kept with the tests; the article itself is not part of the project). */
const TABLES = fileURLToPath(new URL('../../../test/data/article-tables.txt', import.meta.url))

/** The four result tables of the article, in order: Linux bind, Linux listen, FreeBSD bind, FreeBSD listen. */
function parseArticle (text: string): Array<Array<{ a: string, b: string, reuseaddr: number, reuseport: number, ok: boolean }>> {
  const tables: Array<Array<{ a: string, b: string, reuseaddr: number, reuseport: number, ok: boolean }>> = []
  let cur: typeof tables[number] | undefined
  for (const line of text.split('\n')) {
    if (/^SocketA\s+SocketB/.test(line)) { cur = []; tables.push(cur); continue }
    const m = /^(\S+):\d+\s+(\S+):\d+\s+([01])\s+([01])\s+(\S+)/.exec(line.trim())
    if (m !== null && cur !== undefined) cur.push({ a: m[1] ?? '', b: m[2] ?? '', reuseaddr: Number(m[3]), reuseport: Number(m[4]), ok: (m[5] ?? '').toLowerCase() === 'ok' })
  }
  return tables
}

function pairOf (a: string, b: string): string {
  if (a === '0.0.0.0' && b === '0.0.0.0') return 'any-any'
  return b === '0.0.0.0' ? 'specific-any' : 'specific-specific'
}

test('the shipped tables are the article\'s, cell by cell', () => {
  const tables = parseArticle(readFileSync(TABLES, 'utf8'))
  assert.equal(tables.length, 4)
  const ours: ArticleCell[][] = [
    LINUX_TABLE.filter(c => c.experiment === 'bind'), LINUX_TABLE.filter(c => c.experiment === 'listen'),
    FREEBSD_TABLE.filter(c => c.experiment === 'bind'), FREEBSD_TABLE.filter(c => c.experiment === 'listen')
  ]
  for (const [i, rows] of tables.entries()) {
    assert.equal(rows.length, 12)
    for (const [j, row] of rows.entries()) {
      const c = ours[i]?.[j]
      assert.ok(c !== undefined)
      assert.equal(c.pair, pairOf(row.a, row.b), `table ${i} row ${j}`)
      assert.equal(c.reuseaddr, row.reuseaddr)
      assert.equal(c.reuseport, row.reuseport)
      assert.equal(c.outcome, row.ok ? 'ok' : 'EADDRINUSE', `table ${i} row ${j}`)
    }
  }
})

test('Linux and FreeBSD differ exactly where the article says', () => {
  const diff = LINUX_TABLE.filter((c, i) => c.outcome !== FREEBSD_TABLE[i]?.outcome)
  // bind with SO_REUSEADDR only: Linux lets both bind; FreeBSD refuses the same address twice.
  // listen with SO_REUSEADDR only: FreeBSD allows a specific IP next to 0.0.0.0, Linux does not.
  assert.deepEqual(diff.map(c => `${c.experiment} ${c.pair} ${c.reuseaddr}${c.reuseport}`), [
    'bind specific-specific 10', 'bind any-any 10', 'listen specific-any 10'
  ])
})

test('expectations and matching', () => {
  assert.equal(expectedFor(LINUX_TABLE, 'listen', 'any-any', 1, 0), 'EADDRINUSE')
  assert.equal(expectedFor(LINUX_TABLE, 'bind', 'any-any', 1, 0), 'ok')
  assert.equal(expectedFor(undefined, 'bind', 'any-any', 1, 0), null)
  assert.equal(articleTable('darwin'), undefined)
  assert.equal(matches('ok', 'ok'), true)
  assert.equal(matches('EACCES', 'EADDRINUSE'), false)
  assert.equal(matches('ok', null), null)
})

test('summary counts article cells and every mismatch', () => {
  const cell = (extra: boolean, m: boolean | null): ProbeCell => ({ experiment: 'bind', group: extra ? 'x' : 'article', addrA: '', addrB: '', reuseaddr: 0, reuseport: 0, outcome: 'ok', expected: m === null ? null : 'ok', matches: m, extra })
  const s = summarizeCells([cell(false, true), cell(false, false), cell(true, false), cell(true, null)])
  assert.equal(s.articleCells, 2)
  assert.equal(s.articleMatches, 1)
  assert.equal(s.mismatches.length, 2)
})
