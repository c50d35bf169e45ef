// The report's first screen (report/html/glance.ts, report/summary.ts): one picture per configuration
// with a row per mode, coloured by the paired finding against the baseline; the verdict in one sentence.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configurations, glanceSection } from '../../src/report/html/glance.js'
import { pageText } from '../../src/report/html/markup.js'
import { renderReport } from '../../src/report/html/report.js'
import { summarySentence } from '../../src/report/summary.js'
import type { PairedComparison, SweepCell } from '../../src/types/docs.js'
import { makeDoc, makeRun } from '../fixtures.js'

const est = (median: number, lo: number, hi: number) => ({ median, lo, hi, n: 3, method: 'min-max' as const })
const cell = (mode: string, rps: number): SweepCell => ({ mode, workers: 4, connections: 50, trials: 3, rps: est(rps, rps * 0.9, rps * 1.1), p99Ms: est(30, 28, 33), jain: est(0.97, 0.95, 0.99), pooledP99Ms: 31 })
const ratio = (r: number, finding: 'higher' | 'lower' | 'no measurable difference') => ({ ratio: r, lo: r * 0.95, hi: r * 1.05, pairs: [r, r, r], finding, trialsToResolve: null })

test('a single run: one configuration, a row per mode, the baseline in black, no interval to colour the others', () => {
  const doc = makeDoc([makeRun('reuseport', [10, 12, 14, 14]), makeRun('shared', [12, 12, 13, 13])])
  const [c] = configurations(doc)
  assert.deepEqual(c?.rows.map(r => [r.mode, r.rpsFinding]), [['reuseport', 'no interval'], ['shared', 'baseline']])
  const html = pageText(glanceSection(doc))
  assert.match(html, /<svg class="chart glance"/)
  assert.match(html, /fill="#000000"><title>shared: /, 'the baseline is black')
  assert.match(summarySentence(doc) ?? '', /one trial: no interval, so no difference is established/)
})

test('a grid: medians with intervals, a measurably faster mode in green and a slower one in orange, and the sentence says so', () => {
  const doc = makeDoc([makeRun('reuseport', [10, 12, 14, 14]), makeRun('shared', [12, 12, 13, 13]), makeRun('cluster', [12, 12, 13, 13])])
  doc.sweep = [cell('reuseport', 12000), cell('shared', 10000), cell('cluster', 8000)]
  const pair = (mode: string, t: number, f: 'higher' | 'lower'): PairedComparison => ({ mode, against: 'shared', workers: 4, connections: 50, throughput: ratio(t, f), p99: ratio(1, 'no measurable difference') })
  doc.paired = [pair('reuseport', 1.2, 'higher'), pair('cluster', 0.8, 'lower')]
  const rows = configurations(doc)[0]?.rows ?? []
  assert.deepEqual(rows.map(r => [r.mode, r.rpsFinding, r.p99Finding]), [['reuseport', 'higher', 'no measurable difference'], ['shared', 'baseline', 'baseline'], ['cluster', 'lower', 'no measurable difference']])
  const html = pageText(glanceSection(doc))
  assert.match(html, /fill="#009E73"><title>reuseport: 12,000\.00 \(10,800\.00 to 13,200\.00\) req\/s \(higher\)/)
  assert.match(html, /fill="#D55E00"><title>cluster: 8,000\.00/)
  assert.match(summarySentence(doc) ?? '', /^4 workers, 50 connections, 1 trial: reuseport 1\.20x the requests\/s of shared \(1\.14 to 1\.26: measurably higher\)/)
})

test('the page opens with the pictures and the one sentence, the full verdict folded below them', () => {
  const html = renderReport(makeDoc([makeRun('reuseport', [10, 12, 14, 14]), makeRun('shared', [12, 12, 13, 13])]))
  const at = (s: string): number => html.indexOf(s)
  assert.ok(at('class="chart glance"') > 0 && at('class="summary"') > at('class="chart glance"'), 'picture, then the sentence')
  assert.ok(at('<details class="verdict"') > at('class="summary"') && at('Modes compared') > at('<details class="verdict"'))
})
