/**
 * `probe`: the bind/listen matrix and the accept-order probe, as one versioned document.
 */
import os from 'node:os'
import { hostFacts } from '../collect/samplers/host.js'
import { toolVersion } from '../version.js'
import { acceptOrder } from './acceptOrder.js'
import { acceptStyles } from './acceptStyles.js'
import { ARTICLE_SOURCE, articleTable } from './article.js'
import { summarizeCells } from './compare.js'
import { runMatrix } from './matrix.js'
import type { MatrixOptions } from './matrix.js'
import { datagramDelivery, datagramDeliveryUnavailable } from './datagramDelivery.js'
import { migrationWakeup, migrationWakeupUnavailable } from './migrationWakeup.js'
import type { AcceptOrder, MatrixSummary, ProbeDoc, ProbeListeners, Skip } from '../types/probe.js'
import type { Mode } from '../types/plan.js'
import type { AcceptStyle } from '../types/agent.js'
import { schemaId } from '../types/schemaIds.js'

export interface ProbeOptions extends MatrixOptions {
  modes: Mode[]
  /** What the accept-order groups start on (engine/session.ts probeListeners). */
  listeners: ProbeListeners
  workers: number
  /** Sequential connections whose order is shown. */
  sequence: number
  /** Sequential connections counted per listener. */
  spread: number
  /** Cloudflare's accept experiment: the ways its processes wait (none: not run). */
  styles: readonly AcceptStyle[]
  /** The processes' deadlines are this many times the usual (a slow host); 1 when not given. */
  deadlineScale?: number
  /** The migration-wakeup tries (Linux, root, tcp_migrate_req); false skips them. */
  migrationWakeup?: boolean
  /** Who receives UDP unicast, broadcast and multicast datagrams on a shared port (Linux, root); false skips it. */
  datagramDelivery?: boolean
}

/** A probe part that needs what this host may lack (a namespace, a kernel feature): run when it can be, else its reason among the skipped rows. */
interface Part<T> { asked: boolean | undefined, rows: string, unavailable: () => string | undefined, says: string, run: () => Promise<T> }

async function ifPossible<T> (o: ProbeOptions, skipped: Skip[], p: Part<T>): Promise<T | undefined> {
  if (p.asked === false) return undefined
  const why = p.unavailable()
  if (why !== undefined) {
    skipped.push({ rows: p.rows, reason: why })
    return undefined
  }
  o.progress?.(`probe: ${p.says}`)
  return await p.run()
}

export async function runProbe (o: ProbeOptions, command: string): Promise<ProbeDoc> {
  const createdAt = new Date()
  const { cells, skipped } = await runMatrix(o)
  const orders: AcceptOrder[] = []
  for (const mode of o.modes) {
    o.progress?.(`probe: accept order, ${mode}`)
    orders.push(await acceptOrder(mode, o.workers, o.sequence, o.spread, '127.0.0.1', o.listeners, o.deadlineScale ?? 1))
  }
  const styles = await acceptStyles(o.styles, o.workers, o.spread, o.progress, o.deadlineScale ?? 1)
  skipped.push(...styles.skipped)
  const deadlineScale = o.deadlineScale ?? 1
  const wakeup = await ifPossible(o, skipped, { asked: o.migrationWakeup, rows: 'migration wakeup', unavailable: migrationWakeupUnavailable, says: 'migration wakeup (tcp_migrate_req=1, in a network namespace of its own)', run: async () => await migrationWakeup({ deadlineScale }) })
  const delivery = await ifPossible(o, skipped, { asked: o.datagramDelivery, rows: 'udp delivery', unavailable: datagramDeliveryUnavailable, says: 'who receives UDP unicast, broadcast and multicast datagrams (in a network namespace of its own)', run: async () => await datagramDelivery({ deadlineScale }) })
  const s: MatrixSummary = summarizeCells(cells)
  const table = articleTable(process.platform)
  return {
    $schema: schemaId('probe'),
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
    acceptOrder: orders,
    acceptStyles: styles.orders,
    ...(wakeup === undefined ? {} : { migrationWakeup: wakeup }),
    ...(delivery === undefined ? {} : { datagramDelivery: delivery })
  }
}
