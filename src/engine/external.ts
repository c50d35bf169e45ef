/**
 * A cell measured by a load generator outside the harness (`serve` with wrk,
 * k6, h2load...): its record from what the listeners and the kernel saw, in
 * the same schema as a `run` cell, so that `report` and `compare` take it.
 * The client side is not seen: `client` holds what the listeners served
 * (requests per second over the serving window) and, in place of round
 * trips, the listeners' server time; `load.generator` says so.
 */
import { mergeEncoded } from '../collect/histogram.js'
import { combineByIndex } from '../collect/listeners.js'
import { listenerFigures } from '../analyse/listenerFigures.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { CpuSets, ModeRun, ReuseChoice, Scenario } from '../types/run.js'

export interface ExternalCell {
  mode: ModeRun['mode']
  choice: ReuseChoice
  port: number
  startedAt: Date
  readyMs: number
  /** The serving window: from the listeners ready to the stop, seconds. */
  durationSec: number
  final: readonly ListenerSnapshot[]
  retired: readonly ListenerSnapshot[]
  samples: Record<string, unknown>
  scenario: Scenario
  cpus: CpuSets
  listenerNode: string
  seed: number
}

export function externalRun (x: ExternalCell): ModeRun {
  const listeners = combineByIndex(x.final, x.retired)
  const served = listeners.reduce((a, l) => a + l.requests, 0)
  const accepts = listeners.reduce((a, l) => a + l.accepts, 0)
  const figures = listenerFigures(listeners, x.seed)
  const serverMs = mergeEncoded([figures.serverHistogram], 1000)
  return {
    mode: x.mode,
    trial: 1,
    scenario: x.scenario,
    socketOption: x.choice.option,
    socketNote: x.choice.note,
    workers: listeners.length,
    port: x.port,
    startedAt: x.startedAt.toISOString(),
    readyMs: x.readyMs,
    load: { connections: accepts, durationSec: x.durationSec, warmupSec: 0, churn: 0, rate: 0, generator: 'external' },
    client: {
      requests: served,
      responses: served,
      autocannonResponses: 0,
      sent: served,
      errors: listeners.reduce((a, l) => a + l.errors, 0),
      timeouts: 0,
      non2xx: 0,
      connectionsOpened: accepts,
      durationSec: x.durationSec,
      rps: x.durationSec > 0 ? Math.round(served / x.durationSec) : 0,
      bytes: 0,
      latencyMs: serverMs.summary,
      histogram: figures.serverHistogram,
      byListener: listeners.map(l => ({ index: l.index, responses: l.requests, latencyMs: mergeEncoded([l.histogram], 1000).summary, histogram: l.histogram })),
      errorCodes: {},
      errorTimesMs: []
    },
    loadGenerator: { userMs: 0, systemMs: 0, wallMs: Math.round(x.durationSec * 1000), coreShare: 0, saturated: false },
    ...figures,
    accounting: { clientConnections: accepts, listenerAccepts: accepts, acceptsMatch: true, clientResponses: served, listenerRequests: served, requestDifference: 0, explained: true, note: 'an external load generator: the client side is not seen, so the figures are the listeners\' own' },
    cpus: x.cpus,
    listenerNode: x.listenerNode,
    ...(Object.keys(x.samples).length === 0 ? {} : { samples: x.samples })
  }
}
