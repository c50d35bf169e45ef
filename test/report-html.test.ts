// The HTML report and comparison as text: escaping, structure, no external resources.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderCompare } from '../src/report/html/compare.js'
import { esc, htmlTable } from '../src/report/html/escape.js'
import { renderReport } from '../src/report/html/report.js'
import { barChart, percentileX, spectrumChart } from '../src/report/html/svg.js'
import { countsCsv } from '../src/report/artifacts.js'
import { makeDoc, makeRun } from './fixtures.js'

const XSS = '<script>alert(1)</script>'

test('esc escapes everything that could open markup or break an attribute', () => {
  assert.equal(esc(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
})

test('a hostile label renders as text, never as markup', () => {
  const doc = makeDoc([makeRun('reuseport', [5, 5]), makeRun('shared', [9, 1])], XSS)
  doc.command = `reuseport-bench run --label '${XSS}'`
  const html = renderReport(doc)
  assert.ok(!html.includes('<script'), 'no script element anywhere')
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  assert.ok(html.includes('test&lt;host&gt;'), 'hostname escaped')
})

test('self-contained: no external URL, a CSP that forbids fetching', () => {
  const html = renderReport(makeDoc([makeRun('reuseport', [5, 5]), makeRun('shared', [9, 1]), makeRun('cluster', [5, 5])]))
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i)
  assert.doesNotMatch(html, /@import|url\(/)
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/)
})

test('verdict first, then charts with text alternatives and data tables', () => {
  const html = renderReport(makeDoc([makeRun('reuseport', [5, 5]), makeRun('shared', [9, 1])]))
  const verdictAt = html.indexOf('class="verdict"')
  assert.ok(verdictAt > 0 && verdictAt < html.indexOf('<h2>'))
  assert.match(html, /reuseport: consistent with random hashing \(Jain&#39;s index 1\.000; uniform random placement of 10 connections on 2 listeners/)
  const svgs = html.match(/<svg [^>]*>/g) ?? []
  assert.ok(svgs.length >= 6)
  for (const s of svgs) {
    assert.match(s, /role="img"/)
    assert.match(s, /aria-label="[^"]+"/)
  }
  assert.ok((html.match(/<table>/g) ?? []).length >= 4)
})

test('fixture data is labelled as such', () => {
  const doc = makeDoc([makeRun('reuseport', [1, 1])])
  doc.fixture = 'built from the article table'
  assert.match(renderReport(doc), /FIXTURE, NOT A MEASUREMENT/)
  assert.match(renderCompare([{ name: 'a', doc }, { name: 'b', doc: makeDoc([makeRun('reuseport', [1, 1])]) }]), /FIXTURE, NOT A MEASUREMENT - a/)
})

test('compare aligns by mode and workers and gives ratios to the first', () => {
  const a = makeDoc([makeRun('reuseport', [5, 5], 10000), makeRun('shared', [9, 1], 20000)])
  const b = makeDoc([makeRun('reuseport', [5, 5], 15000)])
  const html = renderCompare([{ name: 'linux', doc: a }, { name: 'freebsd', doc: b }])
  assert.match(html, /1\.50x/)
  assert.match(html, /freebsd \/ linux req\/s/)
})

test('charts: bars scale to the largest value; spectrum x is log10(1/(1-p))', () => {
  const svg = barChart('t', [{ label: 'a', value: 10 }, { label: 'b', value: 5 }])
  const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map(m => Number(m[1]))
  assert.equal(widths.length, 2)
  assert.ok(Math.abs((widths[0] ?? 0) / (widths[1] ?? 1) - 2) < 0.01)
  assert.ok(Math.abs(percentileX(0.99) - 2) < 1e-9)
  assert.ok(Math.abs(percentileX(0.9) - 1) < 1e-9)
  assert.match(spectrumChart('s', [{ name: 'x', points: [[0, 1], [2, 5]] }], { unit: 'ms' }), /role="img"/)
})

test('htmlTable escapes cells and marks numbers', () => {
  const t = htmlTable(['a', 'b'], [['<b>', 12], [{ html: '<i>ok</i>' }, '1.5x']])
  assert.ok(t.includes('&lt;b&gt;'))
  assert.ok(t.includes('<i>ok</i>'))
  assert.ok(t.includes('<td class="num">12</td>'))
})

test('counts CSV has a row per listener', () => {
  const csv = countsCsv(makeDoc([makeRun('reuseport', [5, 5]), makeRun('shared', [9, 1, 0])]))
  const lines = csv.trim().split('\n')
  assert.equal(lines.length, 1 + 2 + 3)
  assert.equal(lines[3], 'shared,3,0,1000,9,900,0,9,10,50000000,' + lines[3]?.split(',').slice(10).join(','))
})

test('compare keeps a variant run (e.g. tcp_migrate_req=1) apart from its mode', () => {
  const a = makeDoc([makeRun('reuseport', [5, 5], 10000), { ...makeRun('reuseport', [5, 5], 30000), variant: 'tcp_migrate_req=1 (own netns)' }])
  const b = makeDoc([makeRun('reuseport', [5, 5], 20000)])
  const html = renderCompare([{ name: 'a', doc: a }, { name: 'b', doc: b }])
  assert.match(html, /reuseport \[tcp_migrate_req=1 \(own netns\)\]/)
  assert.match(html, /2\.00x/) // b's plain reuseport against a's plain reuseport, not against the variant
})
