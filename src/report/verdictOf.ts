/**
 * The verdict of a result, for the terminal and the HTML alike: what each
 * mode's figures support, with their uncertainty (per configuration, from the
 * sweep's medians, when the result is a grid), then the scenario shapes.
 */
import { belowLimits } from '../analyse/bottleneck.js'
import { headline } from '../analyse/headline.js'
import { invalidLines, measured } from '../analyse/validity.js'
import { clientBound, restartShape, saturation, stallShape, verdict } from '../analyse/verdict.js'
import type { ClientBound } from '../analyse/sweepVerdict.js'
import type { Bottleneck, ModeRun } from '../types/run.js'
import type { VerdictHost } from '../analyse/verdict.js'
import { sweepVerdict } from '../analyse/sweepVerdict.js'
import { stopSentence } from '../analyse/stopVerdict.js'
import type { ResultDoc } from '../types/docs.js'
import { wordsOfAll } from '../analyse/words.js'

/** The host's CPUs and, when every run was pinned alike, the sets. */
function hostOf (doc: ResultDoc): VerdictHost {
  const key = (r: ModeRun): string => r.cpus === undefined ? '' : `${String(r.cpus.client)}|${String(r.cpus.listeners)}`
  const first = doc.runs[0]?.cpus
  const alike = first !== undefined && doc.runs.every(r => key(r) === key(doc.runs[0] as ModeRun))
  const hosts = doc.runs[0]?.hosts
  if (hosts !== undefined) {
    // A run over several hosts: the listeners' CPUs are the server host's; the client shares them only where a client host is the same machine.
    const server = hosts.server?.facts ?? doc.host
    const clients = hosts.clients.length === 0 ? [doc.host] : hosts.clients.map(c => c.facts)
    return { cpus: server.cpus, clientElsewhere: clients.every(c => c.hostname !== server.hostname) }
  }
  return { cpus: doc.host.cpus, ...(alike ? { pinned: { client: first.client, listeners: first.listeners } } : {}) }
}

/**
 * How the client limited a run, in one place: its bottleneck verdict; in
 * results written before there was one, the client's saturation alone.
 */
function clientSide (r: ModeRun): { bound?: Bottleneck['kind'], saturated: boolean } {
  return r.bottleneck === undefined ? { saturated: r.loadGenerator.saturated } : { bound: r.bottleneck.kind, saturated: false }
}

export function verdictOf (doc: ResultDoc): string[] {
  const setAside = invalidLines(doc.runs)
  const valid = measured(doc.runs)
  if (valid.length === 0) return [...setAside, 'No cell measured the listeners: nothing to rank or compare.']
  const host = doc.hostCheck === undefined ? [] : [doc.hostCheck.statement]
  const stops = (doc.precision ?? []).map(s => stopSentence(s, wordsOfAll(doc.runs)))
  const limits = belowLimits(valid.filter(r => r.variant === undefined).map(r => r.bottleneck), doc.plan.interleave === 'rounds' ? 'slices' : 'cells', wordsOfAll(valid))
  return [...setAside, ...host, ...stops, ...verdictOfMeasured({ ...doc, runs: valid }), ...(limits === undefined ? [] : [limits])]
}

/** The verdict over the cells whose figures stand. */
function verdictOfMeasured (doc: ResultDoc): string[] {
  // A grid: per configuration, from each cell's median over its trials.
  if (doc.sweep !== undefined && doc.sweep.length > 0) {
    const unit = doc.plan.interleave === 'rounds' ? 'round' : 'trial'
    const cellOf = (r: ModeRun): string => `${r.mode} (${r.workers} workers, ${r.load.connections} connections, ${unit} ${r.trial})`
    const boundRuns = doc.runs.filter(r => clientSide(r).bound === 'client-bound')
    // A mode the client bound in most of its trials (or slices) at a configuration is not ranked there; a stray one is named only.
    const isBound: ClientBound = (mode, workers, connections) => {
      const at = (r: ModeRun): boolean => r.mode === mode && r.workers === workers && r.load.connections === connections
      return 2 * boundRuns.filter(at).length > doc.runs.filter(at).length
    }
    const client = clientBound(boundRuns.map(cellOf)) ?? saturation(doc.runs.map(r => ({ name: cellOf(r), saturated: clientSide(r).saturated })))
    return [...sweepVerdict(doc.sweep, hostOf(doc), doc.paired, isBound, unit, wordsOfAll(doc.runs)), ...[client, stallShape(doc.runs), restartShape(doc.runs)].filter((x): x is string => x !== undefined)]
  }
  const base = doc.runs.filter(r => r.variant === undefined)
  const input = base.map(r => ({ ...headline(r), fairness: r.fairness, ...(r.placement === undefined ? {} : { placement: r.placement }), accepts: r.accounting.listenerAccepts, churn: r.load.churn, ...clientSide(r) }))
  const sentences = verdict(input, doc.comparison, hostOf(doc), wordsOfAll(base))
  for (const extra of [stallShape(doc.runs), restartShape(doc.runs)]) if (extra !== undefined) sentences.push(extra)
  return sentences
}
