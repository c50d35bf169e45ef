// The HTML report and comparison as text: escaping, structure, no external resources.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderCompare } from '../../src/report/html/compare.js'
import { htmlTable } from '../../src/report/html/table.js'
import { html, pageText } from '../../src/report/html/markup.js'
import { renderReport } from '../../src/report/html/report.js'
import { barChart, percentileX, spectrumChart } from '../../src/report/html/svg.js'
import { modeColor } from '../../src/report/html/colors.js'
import { DEFAULT_PLAN } from '../../src/plan/validate.js'
import { makeDoc, makeRun } from '../fixtures.js'

const XSS = '<script>alert(1)</script>'

test('esc escapes everything that could open markup or break an attribute', () => {
  assert.equal(pageText(html`${`<a href="x" onclick='y'>&</a>`}`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
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
  const svg = pageText(barChart('t', [{ label: 'a', value: 10 }, { label: 'b', value: 5 }]))
  const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map(m => Number(m[1]))
  assert.equal(widths.length, 2)
  assert.ok(Math.abs((widths[0] ?? 0) / (widths[1] ?? 1) - 2) < 0.01)
  assert.ok(Math.abs(percentileX(0.99) - 2) < 1e-9)
  assert.ok(Math.abs(percentileX(0.9) - 1) < 1e-9)
  assert.match(pageText(spectrumChart('s', [{ name: 'x', points: [[0, 1], [2, 5]] }], { unit: 'ms' })), /role="img"/)
})

test('htmlTable escapes cells and marks numbers', () => {
  const t = pageText(htmlTable(['a', 'b'], [['<b>', 12], [html`<i>ok</i>`, '1.5x']]))
  assert.ok(t.includes('&lt;b&gt;'))
  assert.ok(t.includes('<i>ok</i>'))
  assert.ok(t.includes('<td class="num">12</td>'))
})

test('compare keeps a variant run (e.g. tcp_migrate_req=1) apart from its mode', () => {
  const a = makeDoc([makeRun('reuseport', [5, 5], 10000), { ...makeRun('reuseport', [5, 5], 30000), variant: 'tcp_migrate_req=1 (own netns)' }])
  const b = makeDoc([makeRun('reuseport', [5, 5], 20000)])
  const html = renderCompare([{ name: 'a', doc: a }, { name: 'b', doc: b }])
  assert.match(html, /reuseport \[tcp_migrate_req=1 \(own netns\)\]/)
  assert.match(html, /2\.00x/) // b's plain reuseport against a's plain reuseport, not against the variant
})

/** The stroke and fill colours used in one chart, by legend name. */
function colorsByName (svg: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of svg.matchAll(/<line [^>]*stroke="(#[0-9A-F]{6})" stroke-width="3"[^>]*\/><text [^>]*>([^<]+)<\/text>/g)) out.set(m[2] ?? '', m[1] ?? '')
  return out
}

test('one colour per mode in every chart, and the same colour in the comparison', () => {
  const runs = [1, 2].flatMap(trial => [makeRun('shared', [9, 1]), makeRun('reuseport', [5, 5]), makeRun('cluster', [5, 5])].map(r => ({ ...r, trial })))
  const doc = makeDoc(runs)
  const html = renderReport(doc)
  const svgs = html.match(/<svg [\s\S]*?<\/svg>/g) ?? []
  let legends = 0
  for (const svg of svgs) {
    for (const [name, color] of colorsByName(svg)) {
      legends++
      assert.equal(color, modeColor(name.split(' ')[0] ?? ''), `${name} in its mode's colour`)
    }
  }
  assert.ok(legends >= 6, `${legends} legend entries checked`)
  for (const mode of ['reuseport', 'shared', 'cluster']) assert.match(html, new RegExp(`<section class="mode"><h3>${mode}[^<]*trial 2</h3>`), 'a grid names the cell of every mode section')
  assert.equal(new Set(['reuseport', 'shared', 'cluster', 'single'].map(modeColor)).size, 4)
  const cmp = renderCompare([{ name: 'linux', doc }, { name: 'freebsd', doc: makeDoc(runs) }])
  const chart = cmp.match(/<svg [\s\S]*?<\/svg>/)?.[0] ?? ''
  assert.equal(colorsByName(chart).get('shared - linux'), modeColor('shared'))
  assert.equal(colorsByName(chart).get('shared - freebsd'), modeColor('shared'))
  assert.match(chart, /stroke-dasharray="6 3"/, 'the second result dashed')
})

test('latency charts: one per configuration, never pooling different loads; latency on a log axis with round ticks', () => {
  const small = makeRun('reuseport', [2, 2])
  const large = makeRun('reuseport', [10, 10])
  const doc = makeDoc([small, large, makeRun('shared', [3, 1]), makeRun('shared', [12, 8])])
  doc.sweep = []
  const html = renderReport(doc)
  const section = html.slice(html.indexOf('<h2>Latency</h2>'))
  assert.match(section, /2 workers, 4 connections: client round-trip latency/)
  assert.match(section, /2 workers, 20 connections: client round-trip latency/)
  const chart = section.match(/<svg [\s\S]*?<\/svg>/)?.[0] ?? ''
  assert.match(chart, /ms \(log scale\)/)
  const yLabels = [...chart.matchAll(/text-anchor="end" font-size="10">([^<]+)</g)].map(m => m[1] ?? '')
  assert.ok(yLabels.length >= 2, yLabels.join(' '))
  for (const l of yLabels) assert.match(l, /^(1|2|5)(0*|\.\d*[125]?)?k?$|^0\.0*[125]$/, `round tick ${l}`)
  assert.ok(!/#2\b/.test(chart), 'no trial numbers as separate lines')
})

test('fairness charts say how many connections they rest on', () => {
  const html = renderReport(makeDoc([makeRun('reuseport', [15, 6, 9])]))
  assert.match(html, /n = 30 connections on 3 listeners; random placement of as many gives a Jain&#39;s index of 0\.\d+ to [01]\.\d+ in 95% of cases/)
})

test('a grid result shows its paired comparisons', () => {
  const doc = makeDoc([makeRun('shared', [9, 1]), makeRun('reuseport', [5, 5])])
  doc.plan = { ...DEFAULT_PLAN, trials: 3, interleave: 'cells' }
  doc.paired = [{ mode: 'reuseport', against: 'shared', workers: 2, connections: 10, throughput: { ratio: 0.75, lo: 0.7, hi: 0.8, pairs: [0.7, 0.75, 0.8], finding: 'lower', trialsToResolve: null }, p99: { ratio: 1.01, lo: 0.9, hi: 1.1, pairs: [0.9, 1, 1.1], finding: 'no measurable difference', trialsToResolve: 40 } }]
  const html = renderReport(doc)
  assert.match(html, /<h3>Paired trials<\/h3>/)
  assert.match(html, /0\.75x \[0\.70, 0\.80\]<\/td><td>slower/)
  assert.match(html, /none measurable \(--trials 40\)/)
  // Side by side, the pairs are rounds, and what would resolve them is rounds too.
  const rounds = renderReport({ ...doc, plan: { ...doc.plan, interleave: 'rounds' } })
  assert.match(rounds, /<h3>Paired rounds<\/h3>/)
  assert.match(rounds, /none measurable \(40 rounds\)/)
})
