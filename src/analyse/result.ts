/**
 * A run's result document from its plan, host samples and cells, with the
 * analysis that needs every cell: the comparison to each configuration's
 * baseline, and for a grid the medians with intervals and the paired ratios.
 */
import { compareToBaseline } from './compare.js'
import { headline } from './headline.js'
import { measured } from './validity.js'
import { pairedComparisons } from './paired.js'
import { analyseSweep } from './sweep.js'
import { hostCheckOf, hostRunOf, inConfigs, runsForRatios } from './hostCheck.js'
import { toolVersion } from '../version.js'
import type { Comparison, ResultDoc } from '../types/docs.js'
import type { RunPlan } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'
import type { HostFacts } from '../types/host.js'
import { SCHEMA_VERSION } from '../types/docs.js'
import { schemaId } from '../types/schemaIds.js'

/**
 * A grid's analysis added to its result: with more runs than modes (trials, a sweep), the medians with
 * intervals (on a piscina pool) and the paired ratios. `onStart` is told how many runs before it begins.
 */
export async function addGridAnalysis (doc: ResultDoc, plan: RunPlan, onStart: (runs: number) => void = () => {}): Promise<void> {
  const gridRuns = measured(doc.runs).filter(r => r.variant === undefined)
  const hostRuns = gridRuns.map(hostRunOf)
  if (hostRuns.length > 0) doc.hostCheck = hostCheckOf(hostRuns, plan.interleave === 'rounds' ? 'round' : 'trial', plan.unstable === 'keep')
  if (gridRuns.length <= plan.modes.length) return
  onStart(gridRuns.length)
  // The rounds in which the host changed are left out of the medians and the pairs alike (unless kept); a
  // configuration none of whose rounds held still keeps them all, marked not comparable.
  const { kept, notComparable } = runsForRatios(hostRuns, plan.unstable === 'keep')
  const marked = <T extends { workers: number, connections: number }>(x: T): T => inConfigs(notComparable, x) ? { ...x, hostUnstable: true } : x
  const runs = kept.map(h => h.run)
  doc.sweep = (await analyseSweep(runs, plan.seed)).map(marked)
  doc.paired = pairedComparisons(runs.map(headline), doc.baseline, plan.modes).map(marked)
}

/** Every measured cell of the main grid against the baseline mode's (variants are compared apart). */
export function comparisonOf (runs: readonly ModeRun[], baseline: string): Comparison[] {
  return compareToBaseline(measured(runs).filter(r => r.variant === undefined).map(headline), baseline)
}

/** What the 'run' samplers gave: the host facts, and any others by name. */
export interface RunSamples { host: HostFacts, others: Record<string, unknown> }

/**
 * What a result records beside its plan and cells: the command, when it began, the mode the others are
 * compared with (a listener kind's property) and what the load drivers' corrected latency means.
 */
export interface ResultMeta { command: string, createdAt: Date, baseline: string, correctionNote: string }

export function buildResult (plan: RunPlan, samples: RunSamples, runs: ModeRun[], meta: ResultMeta): ResultDoc {
  const { command, createdAt, baseline } = meta
  return {
    $schema: schemaId('result'),
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'reuseport-bench', version: toolVersion() },
    status: 'complete',
    label: plan.label,
    createdAt: createdAt.toISOString(),
    command,
    plan,
    host: samples.host,
    ...(Object.keys(samples.others).length === 0 ? {} : { samples: samples.others }),
    runs,
    baseline,
    comparison: comparisonOf(runs, baseline),
    notes: plan.protocol === 'udp' ? UDP_NOTES(meta.correctionNote) : {
      'client.latencyMs': 'client round trip measured by the load generator, from writing a request to receiving the whole response; NOT corrected for coordinated omission (autocannon sends the next request only after the previous response)',
      'client.correctedLatencyMs': meta.correctionNote,
      'listeners.latencyUs': 'server processing time in the listener, from the request being parsed to the response being handed to the socket, microseconds; excludes time in the accept and socket queues',
      fairness: "over the listeners' accepted connections: Jain's index (1 = even), busiest/least busy (null when some listener got none), coefficient of variation, busiest listener's share",
      loadGenerator: LOAD_GENERATOR_NOTE
    }
  }
}

const LOAD_GENERATOR_NOTE = 'CPU time of the load-generating process over the run; coreShare near 1 means the single-threaded client, not the listeners, limited throughput'

/** What each figure of a UDP result means. */
const UDP_NOTES = (correctionNote: string): Record<string, string> => ({
  'client.latencyMs': 'round trip of each answered datagram measured by the dgram driver, from its send to its answer; a datagram unanswered for 1 s is lost and not in it',
  'client.correctedLatencyMs': correctionNote,
  'listeners.latencyUs': 'time in the listener from reading a datagram to handing its answer to the socket, microseconds; excludes time in the socket\'s receive queue',
  'listeners.udp': 'datagrams received (each answered), distinct flows seen (a flow is one client socket, its own 4-tuple), and the drops and queue of the sockets it read, from /proc/net/udp',
  fairness: "over the listeners' flows (accepts) and their datagrams (requestFairness): Jain's index (1 = even), busiest/least busy (null when some listener got none), coefficient of variation, busiest listener's share; a cell is ranked by its datagrams",
  loadGenerator: LOAD_GENERATOR_NOTE
})
