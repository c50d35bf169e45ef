// What changed between kernels (report/kernels.ts, report/html/kernelsPage.ts) on synthetic sides: rows that
// differ come first with the change that explains them; throughput is never compared; every value is escaped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { accountingCloses, kernelRows, KERNEL_CHANGES } from '../../src/report/kernels.js'
import type { KernelSide } from '../../src/report/kernels.js'
import { kernelsMarkdown, kernelsPage } from '../../src/report/html/kernelsPage.js'
import type { ProbeDoc } from '../../src/types/probe.js'
import type { KernelFeature } from '../../src/types/features.js'
import { makeDoc, makeRun } from '../fixtures.js'

const feature = (id: KernelFeature['id'], found: boolean | null): KernelFeature => ({ id, what: id, firstLinux: '5.14', found, detail: found === true ? 'there' : 'absent' })
const side = (name: string, migrate: boolean, rps: number, outcome = 'EADDRINUSE'): KernelSide => {
  const modes = makeDoc([makeRun('reuseport', [4, 4], rps)])
  const probe = {
    host: { kernelFeatures: [feature('tcp_migrate_req', migrate), feature('epoll-exclusive', true)] },
    cells: [{ group: 'article', experiment: 'bind', addrA: 'a', addrB: 'b', reuseaddr: 0, reuseport: 0, outcome, expected: 'EADDRINUSE', matches: outcome === 'EADDRINUSE', extra: false }],
    skipped: migrate ? [] : [{ rows: 'migration wakeup', reason: 'tcp_migrate_req needs Linux 5.14+; this kernel is 5.10' }]
  } as unknown as ProbeDoc
  return { name, release: `${name}.0`, package: `linux-image-${name}`, probe, results: { modes } }
}

test('rows that differ come first, each with its kernel change; rows alike after; throughput last and never compared', () => {
  const rows = kernelRows([side('5.10', false, 900), side('6.1', true, 1500)])
  const differ = rows.filter(r => r.differs)
  assert.ok(differ.length >= 2)
  assert.equal(rows.findIndex(r => !r.differs) > rows.findLastIndex(r => r.differs), true, 'every differing row before the rest')
  const migrate = rows.find(r => r.what === 'tcp_migrate_req')
  assert.equal(migrate?.differs, true)
  assert.equal(migrate?.why, KERNEL_CHANGES['tcp_migrate_req'])
  assert.match(rows.find(r => r.section.startsWith('migration wakeup'))?.values[0]?.text ?? '', /^not run: tcp_migrate_req needs Linux 5\.14/)
  assert.equal(rows.find(r => r.what === 'epoll-exclusive')?.differs, false)
  const speed = rows.filter(r => r.section.startsWith('throughput'))
  assert.equal(speed.length, 1)
  assert.equal(speed[0]?.differs, false, 'emulated throughput is never a difference')
  assert.equal(rows.at(-1), speed[0])
})

test('a matrix cell that changes between kernels is a difference; the same accounting and verdict are not', () => {
  const rows = kernelRows([side('6.1', true, 1000), side('6.12', true, 2000, 'ok')])
  assert.deepEqual(rows.filter(r => r.differs).map(r => r.section), ['bind/listen matrix'])
  assert.match(rows.find(r => r.section === 'every mode (modes)')?.values[0]?.text ?? '', /^accounting closes; Jain/)
})

test('the page escapes every value and marks the rows that differ; the Markdown keeps to them unless asked for all', () => {
  const evil = side('6.1', true, 1000, '<script>alert(1)</script>')
  const sides = [side('5.10', false, 900), evil]
  const rows = kernelRows(sides)
  const html = kernelsPage(sides, rows, { how: 'booted <here>', phases: { '5.10': [{ phase: 'probe', exit: '0', seconds: '1' }] } })
  assert.doesNotMatch(html, /<script>alert/)
  assert.match(html, /&lt;script&gt;/)
  assert.match(html, /booted &lt;here&gt;/)
  assert.match(html, /class="differs"/)
  assert.match(html, /SPEED NOT COMPARABLE/)
  const md = kernelsMarkdown(sides, rows)
  assert.equal(md.split('\n').length, 2 + rows.filter(r => r.differs).length)
  assert.ok(kernelsMarkdown(sides, rows, true).split('\n').length > md.split('\n').length)
})

test('the accounting closes when the counts match, or differ under --churn by no more than the connections open at the stop', () => {
  const run = (listenerAccepts: number, clientConnections: number, churn: number, explained = true) => ({ load: { connections: 8, durationSec: 1, warmupSec: 0, churn, rate: 0 }, accounting: { clientConnections, listenerAccepts, acceptsMatch: listenerAccepts === clientConnections, clientResponses: 0, listenerRequests: 0, requestDifference: 0, explained, note: '' } })
  assert.equal(accountingCloses(run(100, 100, 0)), true)
  assert.equal(accountingCloses(run(101, 100, 0)), false, 'keep-alive: every connection is counted')
  assert.equal(accountingCloses(run(101, 100, 1)), true)
  assert.equal(accountingCloses(run(109, 100, 1)), false, 'more than one per connection is not explained')
  assert.equal(accountingCloses(run(100, 100, 0, false)), false, 'requests that do not add up')
})

test("a mode's row reads a cell whose figures stand, and says so when none does", () => {
  const cold = { ...makeRun('reuseport', [4, 4], 0), invalid: { kind: 'unanswered' as const, reason: 'the listeners answered none of the 8 requests sent' } }
  const warm = { ...makeRun('reuseport', [5, 3], 96), trial: 2 }
  const s = (runs: ReturnType<typeof makeRun>[]): KernelSide => ({ name: 'x', release: 'x', package: 'x', results: { modes: makeDoc(runs) } })
  const rows = kernelRows([s([cold, warm]), s([cold])])
  assert.match(rows.find(r => r.section === 'every mode (modes)')?.values[0]?.text ?? '', /^accounting closes/)
  assert.match(rows.find(r => r.section === 'every mode (modes)')?.values[1]?.text ?? '', /^every cell invalid: the listeners answered none/)
  assert.equal(rows.find(r => r.section.startsWith('throughput'))?.values[0]?.text, '96 req/s')
})

test('the udp-hash4 row: the connected group over the plain one, compared by its finding and explained by the 4-tuple hash', () => {
  const ratio = (r: number, lo: number, hi: number, finding: 'lower' | 'no measurable difference'): KernelSide => {
    const s = side('k', true, 1000)
    const doc = makeDoc([makeRun('reuseport', [4, 4], 1000)])
    const t = { ratio: r, lo, hi, pairs: [r, r, r], finding, trialsToResolve: null }
    doc.paired = [{ mode: 'reuseport#2', against: 'reuseport', workers: 2, connections: 500, throughput: t, p99: t }]
    return { ...s, results: { ...s.results, 'udp-hash4': doc } }
  }
  const rows = kernelRows([ratio(0.41, 0.35, 0.48, 'lower'), ratio(0.97, 0.9, 1.05, 'no measurable difference'), side('none', true, 1000)])
  const row = rows.find(r => r.section === 'UDP')
  assert.equal(row?.differs, true)
  assert.equal(row?.why, KERNEL_CHANGES['udp-hash4'])
  assert.deepEqual(row?.values.map(v => v.text), ['0.410x [0.350, 0.480] over 3 pairs: lower', '0.970x [0.900, 1.050] over 3 pairs: no measurable difference', '-'])
  const same = kernelRows([ratio(0.9, 0.8, 1.1, 'no measurable difference'), ratio(1.01, 0.9, 1.1, 'no measurable difference')]).find(r => r.section === 'UDP')
  assert.equal(same?.differs, false, 'two ratios inside the noise are not a difference between kernels')
  const shaky = ratio(0.41, 0.35, 0.48, 'lower')
  const doc = shaky.results['udp-hash4']
  if (doc?.paired?.[0] !== undefined) doc.paired[0].hostUnstable = true
  const unstable = kernelRows([shaky, ratio(0.97, 0.9, 1.05, 'no measurable difference')]).find(r => r.section === 'UDP')
  assert.match(unstable?.values[0]?.text ?? '', /host unstable in every round: not comparable/)
  assert.equal(unstable?.values[0]?.key, 'host unstable', 'a ratio from rounds that all changed is never compared as a finding')
})
