/**
 * `probe`: the bind/listen matrix and the accept-order probe, as one versioned document.
 */
import os from 'node:os'
import { hostFacts } from '../collect/host.js'
import type { HostFacts } from '../collect/host.js'
import type { Mode } from '../protocol.js'
import { toolVersion } from '../version.js'
import { acceptOrder } from './acceptOrder.js'
import type { AcceptOrder } from './acceptOrder.js'
import { ARTICLE_SOURCE, articleTable } from './article.js'
import { summarizeCells } from './compare.js'
import type { MatrixSummary, ProbeCell } from './compare.js'
import { runMatrix } from './matrix.js'
import type { MatrixOptions, Skip } from './matrix.js'

export interface ProbeOptions extends MatrixOptions {
  modes: Mode[]
  workers: number
  /** Sequential connections whose order is shown. */
  sequence: number
  /** Sequential connections counted per listener. */
  spread: number
}

export interface ProbeDoc {
  schemaVersion: 1
  kind: 'probe'
  tool: { name: 'reuseport-bench', version: string }
  createdAt: string
  command: string
  platform: string
  release: string
  host: HostFacts
  options: { ip: string, ip6: string, port: number, workers: number, sequence: number, spread: number }
  /** The article's table the cells are compared with, or null when it has none for this OS. */
  comparedWith: string | null
  summary: { articleCells: number, articleMatches: number, mismatches: number }
  cells: ProbeCell[]
  skipped: Skip[]
  acceptOrder: AcceptOrder[]
}

export async function runProbe (o: ProbeOptions, command: string): Promise<ProbeDoc> {
  const createdAt = new Date()
  const { cells, skipped } = await runMatrix(o)
  const orders: AcceptOrder[] = []
  for (const mode of o.modes) {
    o.progress?.(`probe: accept order, ${mode}`)
    orders.push(await acceptOrder(mode, o.workers, o.sequence, o.spread, '127.0.0.1'))
  }
  const s: MatrixSummary = summarizeCells(cells)
  const table = articleTable(process.platform)
  return {
    schemaVersion: 1,
    kind: 'probe',
    tool: { name: 'reuseport-bench', version: toolVersion() },
    createdAt: createdAt.toISOString(),
    command,
    platform: process.platform,
    release: os.release(),
    host: hostFacts(),
    options: { ip: o.ip, ip6: o.ip6, port: o.port, workers: o.workers, sequence: o.sequence, spread: o.spread },
    comparedWith: table === undefined ? null : `${process.platform} table of ${ARTICLE_SOURCE}`,
    summary: { articleCells: s.articleCells, articleMatches: s.articleMatches, mismatches: s.mismatches.length },
    cells,
    skipped,
    acceptOrder: orders
  }
}
