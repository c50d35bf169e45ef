// The comparison's headline (report/compareHeadline.ts): the kernels, the matrices cell by cell
// and against the article, and an emulated guest's speed never read as the kernel's (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compareHeadline, emulatedOf } from '../../src/report/compareHeadline.js'
import type { Named } from '../../src/report/compareCells.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { ProbeCell, ProbeDoc } from '../../src/types/probe.js'
import { makeDoc, makeRun } from '../fixtures.js'

const cell = (reuseaddr: 0 | 1, reuseport: 0 | 1, outcome: string): ProbeCell =>
  ({ experiment: 'bind', group: 'article', addrA: '127.0.0.2', addrB: '0.0.0.0', pair: 'specific-any', reuseaddr, reuseport, outcome, expected: 'ok', matches: outcome === 'ok', extra: false } as ProbeCell)

function probe (cells: ProbeCell[]): ProbeDoc {
  const matches = cells.filter(c => c.matches === true).length
  return { cells, comparedWith: 'linux table of the article', summary: { articleCells: cells.length, articleMatches: matches, mismatches: cells.length - matches } } as unknown as ProbeDoc
}

function named (name: string, release: string, kind: 'none' | 'virtual' | 'emulated', cells: ProbeCell[]): Named {
  const doc: ResultDoc = makeDoc([makeRun('reuseport', [4, 4])])
  doc.host = { ...doc.host, release, virtualization: { kind, evidence: kind === 'emulated' ? 'hypervisor flag; DMI vendor QEMU; no kvm-clock (hpet, acpi_pm)' : 'hypervisor flag; kvm-clock' } }
  doc.probe = probe(cells)
  return { name, doc }
}

test('both kernels named, the matrices agree, and the emulated guest is said to be not comparable', () => {
  const same = [cell(1, 1, 'ok'), cell(0, 1, 'ok')]
  const lines = compareHeadline([named('host', '6.18.44', 'virtual', same), named('linux-vm', '6.1.0-57-amd64', 'emulated', same)])
  assert.equal(lines[0], 'host (Linux 6.18.44) against linux-vm (Linux 6.1.0-57-amd64, emulated guest)')
  assert.equal(lines[1], 'bind/listen matrix: the same outcome in 2 of 2 cells; against the article: host 2 of 2 (its linux table), linux-vm 2 of 2 (its linux table)')
  assert.match(lines[2] ?? '', /^throughput and latency: not comparable: linux-vm ran under software emulation \(hypervisor flag; DMI vendor QEMU; no kvm-clock/)
})

test('a cell that differs is named; without emulation the speeds are read as ratios', () => {
  const lines = compareHeadline([named('a', '6.18', 'none', [cell(1, 1, 'ok'), cell(0, 1, 'ok')]), named('b', '6.1', 'virtual', [cell(1, 1, 'ok'), cell(0, 1, 'EADDRINUSE')])])
  assert.match(lines[1] ?? '', /the same outcome in 1 of 2 cells \(different: bind specific-any REUSEADDR 0 REUSEPORT 1\); against the article: a 2 of 2 .*, b 1 of 2/)
  assert.match(lines[2] ?? '', /^throughput and latency: each result over a, cell by cell/)
  assert.deepEqual(emulatedOf([named('a', '6.18', 'none', [])]), [])
})

test('a result written before virtualization was recorded is not taken for an emulated one', () => {
  const old = named('old', '5.15', 'none', [cell(1, 1, 'ok')])
  delete old.doc.host.virtualization
  assert.deepEqual(emulatedOf([old]), [])
  assert.equal(compareHeadline([old, named('new', '6.1', 'emulated', [cell(1, 1, 'ok')])])[0], 'old (Linux 5.15) against new (Linux 6.1, emulated guest)')
})
