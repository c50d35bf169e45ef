/**
 * The compare document (compare.json, beside compare.html): what `compare` put side by side, as data a
 * script can read, described by the compare schema (src/schema/compare.ts).
 */
import { schemaId } from '../types/schemaIds.js'
import { toolVersion } from '../version.js'
import type { CellFigures, Named } from './compareCells.js'
import { cellFigures, cellKeys } from './compareCells.js'

export interface CompareDoc {
  $schema: string
  schemaVersion: 1
  kind: 'compare'
  tool: { name: 'reuseport-bench', version: string }
  createdAt: string
  command: string
  inputs: Array<{ name: string, file: string, label: string, createdAt: string, platform: string, release: string, arch: string, status: string }>
  planDifferences: string[]
  headline: string[]
  cells: Array<{ label: string, workers: number, connections: number, figures: Array<Figures | null>, rpsRatio: Array<number | null>, p99Ratio: Array<number | null> }>
}

type Figures = Omit<CellFigures, 'trials' | 'histogram'> & { trials: number }

const ratio = (a: number | undefined, b: number | undefined): number | null => a === undefined || b === undefined || b === 0 ? null : a / b

/** The document of a comparison of `named` (read from `files`, in the same order). */
export function compareDoc (named: readonly Named[], files: readonly string[], differences: readonly string[], headline: readonly string[], command: string): CompareDoc {
  const cells = cellKeys(named).map(k => {
    const figures = named.map(n => {
      const f = cellFigures(n.doc, k.key)
      return f === undefined ? null : { trials: f.trials.length, rps: f.rps, p99Ms: f.p99Ms, jain: f.jain, busiestShare: f.busiestShare }
    })
    const first = figures[0] ?? null
    return {
      label: k.label,
      workers: k.workers,
      connections: k.connections,
      figures,
      rpsRatio: figures.map(f => ratio(f?.rps, first?.rps)),
      p99Ratio: figures.map(f => ratio(f?.p99Ms, first?.p99Ms))
    }
  })
  return {
    $schema: schemaId('compare'),
    schemaVersion: 1,
    kind: 'compare',
    tool: { name: 'reuseport-bench', version: toolVersion() },
    createdAt: new Date().toISOString(),
    command,
    inputs: named.map((n, i) => ({ name: n.name, file: files[i] ?? '', label: n.doc.label, createdAt: n.doc.createdAt, platform: n.doc.host.platform, release: n.doc.host.release, arch: n.doc.host.arch, status: n.doc.status ?? 'complete' })),
    planDifferences: [...differences],
    headline: [...headline],
    cells
  }
}
