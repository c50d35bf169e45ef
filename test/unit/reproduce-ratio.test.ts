// The ratio shape (reproduce/shapes/ratio.ts): pairs of trials, the interval, and the finding's rules, on
// synthetic documents (pure; not measurements).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ratio, ratioFinding } from '../../src/reproduce/shapes/ratio.js'
import type { PairedRatio } from '../../src/types/docs.js'
import type { StudyCheck } from '../../src/types/study.js'
import { makeDoc, makeRun } from '../fixtures.js'

const pr = (r: number, lo: number, hi: number, n = 4): PairedRatio => ({ ratio: r, lo, hi, pairs: new Array<number>(n).fill(r), finding: 'no measurable difference', trialsToResolve: null })

test('above: clear of 1 is reproduced, clear below is contradicted, short of the stated effect is contradicted, else inconclusive with the pairs it would take', () => {
  assert.equal(ratioFinding(pr(1.4, 1.2, 1.6), 'above', 1).finding, 'reproduced')
  assert.equal(ratioFinding(pr(0.8, 0.7, 0.9), 'above', 1).finding, 'contradicted')
  assert.match(ratioFinding(pr(1.01, 0.97, 1.05), 'above', 2).why, /rules out the 2x/)
  const open = ratioFinding(pr(1.05, 0.95, 1.16), 'above', 1)
  assert.equal(open.finding, 'inconclusive')
  assert.match(open.why, /about \d+ pairs at this spread would settle it/)
  assert.equal(ratioFinding({ ...pr(1.4, 0, 0, 1), lo: null, hi: null }, 'above', 1).finding, 'inconclusive')
  assert.match(ratioFinding({ ...pr(1.05, 0.95, 1.16), trialsToResolve: 23 }, 'above', 1).why, /about 23 pairs/, 'the paired ratio\'s own sizing, where it has one')
})

test('below mirrors above; within is reproduced only with the whole interval inside the band', () => {
  assert.equal(ratioFinding(pr(0.5, 0.4, 0.6), 'below', 1).finding, 'reproduced')
  assert.equal(ratioFinding(pr(1.5, 1.2, 1.8), 'below', 1).finding, 'contradicted')
  assert.equal(ratioFinding(pr(0.97, 0.93, 1.02), 'below', 0.5).finding, 'contradicted')
  assert.equal(ratioFinding(pr(1.0, 0.95, 1.05), 'within', 0.1).finding, 'reproduced')
  assert.equal(ratioFinding(pr(1.3, 1.2, 1.4), 'within', 0.1).finding, 'contradicted')
  assert.equal(ratioFinding(pr(1.05, 0.85, 1.3), 'within', 0.1).finding, 'inconclusive')
  // Outside the band or inside it, more pairs at the same spread would settle it (narrowing round the ratio seen).
  for (const [r, lo, hi] of [[1.12, 1.05, 1.2], [1.02, 0.94, 1.11], [0.85, 0.8, 0.91]] as const) {
    const j = ratioFinding(pr(r, lo, hi, 16), 'within', 0.1)
    assert.equal(j.finding, 'inconclusive')
    assert.match(j.why, /about \d+ pairs at this spread would settle it/, `${r}: ${j.why}`)
  }
})

/** Trials of two modes with these req/s, trial t of both a pair. */
function doc (a: number[], b: number[]): ReturnType<typeof makeDoc> {
  const runs = [...a.map((rps, i) => ({ ...makeRun('reuseport', [10, 10, 10, 10], rps), trial: i + 1 })), ...b.map((rps, i) => ({ ...makeRun('cluster', [10, 10, 10, 10], rps), trial: i + 1 }))]
  return makeDoc(runs)
}
const check: StudyCheck = { shape: 'ratio', claim: 'faster', mode: 'reuseport', against: 'cluster', metric: 'rps', expect: 'above' }

test('the shape pairs trial t of both modes and leaves out the rounds the host check left out', () => {
  const d = doc([150, 160, 155, 148], [100, 104, 101, 99])
  const j = ratio.judge(check, { result: d, platform: 'linux' })
  assert.equal(j.finding, 'reproduced')
  assert.ok(j.value !== null && Math.abs(j.value.median - 1.53) < 0.03, j.measured)
  assert.match(j.measured, /4 pairs/)
  d.hostCheck = { unit: 'round', rounds: 4, leftOut: [{ workers: 4, connections: 40, trial: 2, reasons: ['steal'] }], speedMovedMax: null, speedDrift: null, foreignMean: null, foreignMax: null, stealMax: null, statement: '' }
  const k = ratio.judge(check, { result: d, platform: 'linux' })
  assert.match(k.measured, /3 pairs; 1 round left out because the host moved/)
  d.hostCheck.leftOut = [1, 2, 3, 4].map(trial => ({ workers: 4, connections: 40, trial, reasons: ['steal'] }))
  const none = ratio.judge(check, { result: d, platform: 'linux' })
  assert.equal(none.finding, 'inconclusive')
  assert.match(none.why, /every round with reuseport and cluster was left out because the host did not hold still/)
})

test('the stdev metric reads the client histogram; equal histograms give a ratio of 1', () => {
  const d = doc([100, 100], [100, 100])
  const j = ratio.judge({ ...check, metric: 'stdev', expect: 'within', within: 0.1 }, { result: d, platform: 'linux' })
  assert.equal(j.value?.median, 1)
})
