// The placement, share, colocated, accept-order and matrix shapes (reproduce/shapes/) on synthetic documents, and the
// chances they compare with against brute force (pure; not measurements).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { acceptOrder, randomRoundShare, roundShare } from '../../src/reproduce/shapes/acceptOrder.js'
import { colocated, colocatedChance, groupRatio, isColocated } from '../../src/reproduce/shapes/colocated.js'
import { matrix } from '../../src/reproduce/shapes/matrix.js'
import { placement } from '../../src/reproduce/shapes/placement.js'
import { share } from '../../src/reproduce/shapes/share.js'
import type { ProbeDoc } from '../../src/types/probe.js'
import type { ModeRun } from '../../src/types/run.js'
import { makeDoc, makeRun } from '../fixtures.js'

const trials = (mode: string, accepts: number[][], rps: number[] = []): ModeRun[] => accepts.map((a, i) => ({ ...makeRun(mode, a, rps[i] ?? 1000), trial: i + 1 }))

test('placement: a skew is reproduced or contradicted by the placement test, and an even spread too small to show the skew is inconclusive', () => {
  const c = { shape: 'placement', claim: 'skewed', mode: 'shared', expect: 'more skewed than random hashing', skew: 3 }
  const skewed = makeDoc(trials('shared', [[60, 20, 10, 10], [15, 55, 20, 10], [10, 10, 70, 10]]))
  assert.equal(placement.judge(c, { result: skewed, platform: 'linux' }).finding, 'reproduced')
  const even = makeDoc(trials('shared', [[250, 250, 250, 250], [251, 249, 250, 250], [250, 250, 249, 251]]))
  const e = placement.judge(c, { result: even, platform: 'linux' })
  assert.equal(e.finding, 'contradicted')
  assert.match(e.why, /would have shown with probability/)
  const few = makeDoc(trials('shared', [[2, 1, 1, 1], [1, 2, 1, 1]]))
  const f = placement.judge(c, { result: few, platform: 'linux' })
  assert.equal(f.finding, 'inconclusive')
  assert.match(f.why, /connections per trial would give 80%/)
  assert.equal(placement.judge({ ...c, expect: 'consistent with random hashing' }, { result: even, platform: 'linux' }).finding, 'reproduced')
  assert.equal(placement.judge({ ...c, expect: 'consistent with random hashing' }, { result: skewed, platform: 'linux' }).finding, 'contradicted')
})

test('share: the busiest two over every measured trial against the claimed share', () => {
  const c = { shape: 'share', claim: '70%', mode: 'cluster-os', top: 2, atLeast: 0.7 }
  const piled = makeDoc(trials('cluster-os', [[40, 35, 5, 5, 5, 4, 3, 3], [5, 45, 30, 5, 5, 4, 3, 3], [38, 5, 5, 40, 4, 3, 3, 2]]))
  assert.equal(share.judge(c, { result: piled, platform: 'linux' }).finding, 'reproduced')
  const even = makeDoc(trials('cluster-os', [[13, 13, 12, 12, 13, 12, 13, 12], [12, 13, 13, 12, 12, 13, 12, 13]]))
  const j = share.judge(c, { result: even, platform: 'linux' })
  assert.equal(j.finding, 'contradicted')
  assert.match(j.measured, /uniform random placement gives/)
  assert.equal(share.judge(c, { result: makeDoc(trials('cluster-os', [[40, 35, 5, 5, 5, 4, 3, 3]])), platform: 'linux' }).finding, 'inconclusive', 'one trial has no interval')
})

test('colocated: the chance of c connections on fewer than min(c, k) listeners, against enumerating every placement', () => {
  for (const [c, k] of [[2, 3], [3, 3], [4, 3], [2, 8], [5, 2]] as const) {
    let fewer = 0
    const total = k ** c
    for (let p = 0; p < total; p++) {
      const used = new Set<number>()
      for (let i = 0, x = p; i < c; i++, x = Math.floor(x / k)) used.add(x % k)
      if (used.size < Math.min(c, k)) fewer++
    }
    assert.ok(Math.abs(colocatedChance(c, k) - fewer / total) < 1e-9, `${c} on ${k}`)
  }
  assert.equal(isColocated(makeRun('reuseport', [2, 0, 0])), true)
  assert.equal(isColocated(makeRun('reuseport', [1, 0, 1])), false)
})

test('colocated: occurrence found, never where hashing would have, and too few trials to tell; throughput together against apart', () => {
  const occ = { shape: 'colocated', claim: 'together', mode: 'reuseport', measure: 'occurrence' }
  assert.equal(colocated.judge(occ, { result: makeDoc(trials('reuseport', [[2, 0, 0], [1, 1, 0]])), platform: 'linux' }).finding, 'reproduced')
  const apart = makeDoc(trials('reuseport', Array.from({ length: 12 }, () => [1, 1, 0])))
  assert.equal(colocated.judge(occ, { result: apart, platform: 'linux' }).finding, 'contradicted')
  assert.equal(colocated.judge(occ, { result: makeDoc(trials('reuseport', [[1, 1, 0], [0, 1, 1]])), platform: 'linux' }).finding, 'inconclusive')
  const rps = { ...occ, measure: 'rps', expect: 'below' }
  const slower = makeDoc(trials('reuseport', [[2, 0, 0], [0, 2, 0], [0, 0, 2], [1, 1, 0], [0, 1, 1], [1, 0, 1]], [600, 610, 590, 1000, 1010, 990]))
  const j = colocated.judge(rps, { result: slower, platform: 'linux' })
  assert.equal(j.finding, 'reproduced', j.measured)
  const g = groupRatio([600, 610, 590], [1000, 1010, 990])
  assert.ok(g.lo !== null && g.hi !== null && g.hi < 1 && Math.abs(g.ratio - 0.6) < 0.01)
})

test('matrix: every article cell matching is reproduced; a differing cell is named', () => {
  const cell = (matches: boolean): ProbeDoc['cells'][number] => ({ experiment: 'bind', group: 'article', addrA: '127.0.0.2', addrB: '127.0.0.2', reuseaddr: 1, reuseport: 0, outcome: matches ? 'ok' : 'EADDRINUSE', expected: 'ok', matches, extra: false, pair: 'specific-specific' })
  const probe = (cells: Array<ProbeDoc['cells'][number]>): ProbeDoc => ({ platform: 'linux', release: '6.18', comparedWith: 'linux table', summary: { articleCells: cells.length, articleMatches: cells.filter(c => c.matches === true).length, mismatches: 0 }, cells } as unknown as ProbeDoc)
  assert.equal(matrix.judge({ shape: 'matrix', claim: '' }, { probe: probe([cell(true), cell(true)]), platform: 'linux' }).finding, 'reproduced')
  const off = matrix.judge({ shape: 'matrix', claim: '' }, { probe: probe([cell(true), cell(false)]), platform: 'linux' })
  assert.equal(off.finding, 'contradicted')
  assert.match(off.why, /1 cell differ: bind specific-specific reuseaddr=1 reuseport=0: EADDRINUSE, the article ok/)
})

test('accept-order: round-robin and one process told apart, against what random placement gives', () => {
  const order = (style: 'blocking' | 'epoll-exclusive', sequence: number[]): ProbeDoc => {
    const counts = [0, 0, 0]
    for (const i of sequence) counts[i] = (counts[i] ?? 0) + 1
    return { acceptStyles: [{ style, workers: 3, sequence, counts, total: sequence.length, fairness: { jain: null, maxMinRatio: null, cov: null, busiestShare: null, idle: 0 } }], skipped: [] } as unknown as ProbeDoc
  }
  const rr = { shape: 'accept-order', claim: '', style: 'blocking', expect: 'round-robin' }
  const same = { shape: 'accept-order', claim: '', style: 'epoll-exclusive', expect: 'same-process' }
  const round = Array.from({ length: 60 }, (_, i) => i % 3)
  const one = new Array<number>(60).fill(0)
  assert.equal(acceptOrder.judge(rr, { probe: order('blocking', round), platform: 'linux' }).finding, 'reproduced')
  assert.equal(acceptOrder.judge(rr, { probe: order('blocking', one), platform: 'linux' }).finding, 'contradicted')
  assert.equal(acceptOrder.judge(same, { probe: order('epoll-exclusive', one), platform: 'linux' }).finding, 'reproduced')
  assert.equal(acceptOrder.judge(same, { probe: order('epoll-exclusive', round), platform: 'linux' }).finding, 'contradicted')
  assert.equal(roundShare([0, 1, 2, 0, 1, 2], 3), 1)
  assert.equal(roundShare([0, 0, 1, 2], 3), 0.5)
  assert.ok(Math.abs(randomRoundShare(3) - 6 / 27) < 1e-12)
  const skipped = { acceptStyles: [], skipped: [{ rows: 'accept style epoll-exclusive', reason: 'EPOLLEXCLUSIVE is not available here' }] } as unknown as ProbeDoc
  assert.equal(acceptOrder.judge(same, { probe: skipped, platform: 'freebsd' }).finding, 'not run')
})
