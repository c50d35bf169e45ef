/**
 * The comparison's headline, first on its page and in the terminal: which kernels are side by
 * side, whether their bind/listen matrices agree (with each other and with the article's table),
 * and whether their speeds can be compared at all. A result from a guest under software emulation
 * cannot: its accounting and its matrix are the kernel's, its throughput and latency the emulator's.
 */
import type { ProbeDoc } from '../types/probe.js'
import type { Named } from './compareCells.js'

type ProbeCell = ProbeDoc['cells'][number]

/** One article cell's identity, the same in every result that ran the probe. */
export const probeKey = (c: ProbeCell): string => `${c.group}|${c.experiment}|${c.pair ?? `${c.addrA}|${c.addrB}`}|${c.reuseaddr}|${c.reuseport}`

/** The results measured in a guest under software emulation. */
export function emulatedOf (named: readonly Named[]): Named[] {
  return named.filter(n => n.doc.fixture === undefined && n.doc.host.virtualization?.kind === 'emulated')
}

/** "host (Linux 6.18.44)", "linux-vm (Linux 6.1.0-50-amd64, emulated guest)". */
function kernelOf (n: Named): string {
  const kind = n.doc.host.virtualization?.kind
  const how = n.doc.fixture !== undefined ? ', a fixture' : kind === 'emulated' ? ', emulated guest' : ''
  return `${n.name} (${n.doc.host.platform === 'linux' ? 'Linux' : n.doc.host.platform} ${n.doc.host.release}${how})`
}

/** How the matrices of the results that ran the probe compare, cell by cell and with the article's table. */
function matrixLine (probes: ReadonlyArray<{ name: string, probe: ProbeDoc }>): string | undefined {
  const first = probes[0]
  if (first === undefined) return undefined
  const article = probes.map(p => `${p.name} ${p.probe.summary.articleMatches} of ${p.probe.summary.articleCells}${p.probe.comparedWith === null ? ' (no table for its OS)' : ` (its ${p.probe.comparedWith.split(' ')[0] ?? ''} table)`}`).join(', ')
  if (probes.length < 2) return `bind/listen matrix: only ${first.name} ran the probe; against the article: ${article}`
  const cells = first.probe.cells.filter(c => c.extra !== true)
  const differing = cells.filter(c => new Set(probes.map(p => p.probe.cells.find(x => probeKey(x) === probeKey(c))?.outcome ?? 'not run')).size > 1)
  const same = `the same outcome in ${cells.length - differing.length} of ${cells.length} cells`
  const which = differing.length === 0 ? '' : ` (different: ${differing.map(c => `${c.experiment} ${c.pair ?? ''} REUSEADDR ${c.reuseaddr} REUSEPORT ${c.reuseport}`).join('; ')})`
  return `bind/listen matrix: ${same}${which}; against the article: ${article}`
}

/** The headline's lines: kernels, matrix, and what the speeds mean. */
export function compareHeadline (named: readonly Named[]): string[] {
  const lines = [named.map(kernelOf).join(' against ')]
  const probes = named.flatMap(n => n.doc.probe === undefined ? [] : [{ name: n.name, probe: n.doc.probe }])
  const matrix = matrixLine(probes)
  if (matrix !== undefined) lines.push(matrix)
  const emulated = emulatedOf(named)
  if (emulated.length > 0) {
    lines.push(`throughput and latency: not comparable: ${emulated.map(n => n.name).join(', ')} ran under software emulation (${emulated.map(n => n.doc.host.virtualization?.evidence ?? '').join('; ')}), so its req/s and latency measure the emulator, not the kernel; the accounting and the matrix are the kernel's`)
  } else if (named.length > 1) {
    lines.push(`throughput and latency: each result over ${named[0]?.name ?? ''}, cell by cell, below (medians of trials; measured on different machines or at different times, so a ratio is only as good as the host checks beside it)`)
  }
  return lines
}
