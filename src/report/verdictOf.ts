/**
 * The verdict of a result, for the terminal and the HTML alike: what each
 * mode's figures support, with their uncertainty (per configuration, from the
 * sweep's medians, when the result is a grid), then the scenario shapes.
 */
import { headline } from '../analyse/headline.js'
import { clientBound, restartShape, saturation, stallShape, verdict } from '../analyse/verdict.js'
import type { ClientBound } from '../analyse/sweepVerdict.js'
import type { ModeRun } from '../types/run.js'
import type { VerdictHost } from '../analyse/verdict.js'
import { sweepVerdict } from '../analyse/sweepVerdict.js'
import type { ResultDoc } from '../types/docs.js'

/** The host's CPUs and, when every run was pinned alike, the sets. */
function hostOf (doc: ResultDoc): VerdictHost {
  const sets = [...new Set(doc.runs.map(r => JSON.stringify(r.cpus === undefined ? null : { client: r.cpus.client, listeners: r.cpus.listeners })))]
  const only = sets.length === 1 && sets[0] !== undefined ? JSON.parse(sets[0]) as VerdictHost['pinned'] | null : null
  return { cpus: doc.host.cpus, ...(only === null || only === undefined ? {} : { pinned: only }) }
}

export function verdictOf (doc: ResultDoc): string[] {
  // A grid: per configuration, from each cell's median over its trials.
  if (doc.sweep !== undefined && doc.sweep.length > 0) {
    const cellOf = (r: ModeRun): string => `${r.mode} (${r.workers} workers, ${r.load.connections} connections, trial ${r.trial})`
    const boundRuns = doc.runs.filter(r => r.bottleneck?.kind === 'client-bound')
    const isBound: ClientBound = (mode, workers, connections) => boundRuns.some(r => r.mode === mode && r.workers === workers && r.load.connections === connections)
    // Older results without a bottleneck fall back to the client's saturation alone.
    const client = boundRuns.length > 0 ? clientBound(boundRuns.map(cellOf)) : saturation(doc.runs.map(r => ({ name: cellOf(r), saturated: r.bottleneck === undefined && r.loadGenerator.saturated })))
    return [...sweepVerdict(doc.sweep, hostOf(doc), doc.paired, isBound), ...[client, stallShape(doc.runs), restartShape(doc.runs)].filter((x): x is string => x !== undefined)]
  }
  const base = doc.runs.filter(r => r.variant === undefined)
  const input = base.map(r => ({ ...headline(r), fairness: r.fairness, ...(r.placement === undefined ? {} : { placement: r.placement }), accepts: r.accounting.listenerAccepts, churn: r.load.churn, saturated: r.bottleneck === undefined && r.loadGenerator.saturated, ...(r.bottleneck === undefined ? {} : { bound: r.bottleneck.kind }) }))
  const sentences = verdict(input, doc.comparison, hostOf(doc))
  for (const extra of [stallShape(doc.runs), restartShape(doc.runs)]) if (extra !== undefined) sentences.push(extra)
  return sentences
}
