// reproduce's terminal text and page (report/reproduce.ts, report/html/reproduce.ts): what a reader sees of
// each study, and every outside string escaped (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderReproduce } from '../../src/report/html/reproduce.js'
import { studyBlock, summaryTable } from '../../src/report/reproduce.js'
import type { ReproduceDoc, StudyOutcome } from '../../src/types/study.js'
import { makeDoc } from '../fixtures.js'

const outcome = (over: Partial<StudyOutcome> = {}): StudyOutcome => ({
  id: 'x-1',
  title: 'A <b>study</b>',
  source: { title: 'Post "quoted"', url: 'https://example.org/a?b=c&d=e', year: 2017 },
  published: { setup: 'twelve workers', figures: [{ what: 'max', value: 144.55, unit: 'ms', quote: 'max 144.55' }] },
  scaling: 'scaled <down>',
  status: 'run',
  differences: ['scaled <down>', 'here: 2 CPUs'],
  checks: [{ shape: 'ratio', claim: 'reuseport max above <shared>', measured: 'client max latency of reuseport over shared: 2.1x', value: { median: 2.1, lo: 1.5, hi: 2.9, unit: 'x' }, finding: 'reproduced', why: 'the interval [1.5, 2.9] lies above 1' }],
  seconds: 42,
  file: 'x-1/result.json',
  ...over
})
const doc = (studies: StudyOutcome[]): ReproduceDoc => ({ schemaVersion: 1, kind: 'reproduce', status: 'complete', tool: { name: 'reuseport-bench', version: 't' }, createdAt: '2026-12-01T00:00:00.000Z', command: 'reuseport-bench reproduce <x>', quick: true, host: makeDoc([]).host, estimateSec: 40, seconds: 42, studies })

test('a study block gives the quote, our figure, the finding and why; a study not run gives its reason', () => {
  const b = studyBlock(outcome())
  assert.match(b, /published: max: "max 144\.55"/)
  assert.match(b, /ours: client max latency of reuseport over shared: 2\.1x/)
  assert.match(b, /finding: reproduced: the interval \[1\.5, 2\.9\] lies above 1/)
  assert.match(studyBlock(outcome({ status: 'not run', reason: 'it needs root', checks: [] })), /not run: it needs root/)
  const t = summaryTable(doc([outcome(), outcome({ id: 'y', status: 'not run', reason: 'no', checks: [] })]))
  assert.match(t, /x-1 .* 2\.1x \[1\.5, 2\.9\] +reproduced/)
  assert.match(t, /y .* not run/)
})

test('the page links https sources only, escapes every outside string, and links each run\'s report', () => {
  const html = renderReproduce(doc([outcome(), outcome({ id: 'z', source: { title: 't', url: 'javascript:alert(1)', year: 1 } })]))
  assert.ok(!html.includes('<b>study</b>') && html.includes('A &lt;b&gt;study&lt;/b&gt;'))
  assert.ok(html.includes('<a href="https://example.org/a?b=c&amp;d=e">'))
  assert.ok(!html.includes('href="javascript:'), 'a non-web address is shown as text')
  assert.ok(html.includes('href="x-1/report.html"'))
  assert.ok(html.includes('class="f-good">reproduced'))
  assert.ok(html.includes('<th>published</th><th>claim</th><th>ours</th>') && html.includes('&ldquo;max 144.55&rdquo;'), 'published and ours side by side in the summary')
  assert.ok(!/<script/i.test(html))
})
