/**
 * What a study's checks read from an ordinary result: the cells that measured their listeners, less the
 * rounds the host check left out (as the sweep and the pairs leave them out), and each run's figures by name.
 * Every check reads the same runs the verdicts read, so a finding and a verdict never disagree on the data.
 */
import { measured } from '../analyse/validity.js'
import { decodeHistogram } from '../collect/histogram.js'
import type { ResultDoc } from '../types/docs.js'
import type { ModeRun } from '../types/run.js'

/** The figures a check may compare, with their unit and how a run gives them. */
export const METRICS = {
  rps: { label: 'req/s', unit: 'req/s', of: (r: ModeRun) => r.client.rps },
  p99: { label: 'client p99', unit: 'ms', of: (r: ModeRun) => r.client.latencyMs.p99 },
  max: { label: 'client max latency', unit: 'ms', of: (r: ModeRun) => r.client.latencyMs.max },
  mean: { label: 'client mean latency', unit: 'ms', of: (r: ModeRun) => r.client.latencyMs.mean },
  stdev: { label: 'client latency stdev', unit: 'ms', of: stdevMs }
} as const

export type Metric = keyof typeof METRICS
export const METRIC_NAMES = Object.keys(METRICS) as Metric[]

/** The client latency's standard deviation, from its histogram (microseconds), in ms. */
function stdevMs (r: ModeRun): number {
  const h = decodeHistogram(r.client.histogram)
  try {
    return h.totalCount === 0 ? 0 : h.stdDeviation / 1000
  } finally {
    h.destroy()
  }
}

/**
 * The main grid's measured runs; for figures the host's speed decides (throughput, latency), less the rounds
 * (or trials) the host check left out, unless the plan kept them. Where connections landed does not depend on
 * how fast the host ran, so placement checks read every measured run.
 */
export function keptRuns (doc: ResultDoc, speed = true): ModeRun[] {
  const grid = measured(doc.runs).filter(r => r.variant === undefined)
  const check = doc.hostCheck
  if (!speed) return grid
  if (check === undefined || check.kept === true) return grid
  const out = new Set(check.leftOut.map(l => `${l.workers}|${l.connections}|${l.trial}`))
  return grid.filter(r => !out.has(`${r.workers}|${r.load.connections}|${r.trial}`))
}

/** One mode's kept runs (see keptRuns), in trial order. */
export function runsOf (doc: ResultDoc, mode: string, speed = true): ModeRun[] {
  return keptRuns(doc, speed).filter(r => r.mode === mode).sort((a, b) => a.trial - b.trial)
}

/** How many runs were left out, in words, for a check's sentence ('' when none). */
export function leftOutNote (doc: ResultDoc): string {
  const n = doc.hostCheck?.leftOut.length ?? 0
  if (n === 0 || doc.hostCheck?.kept === true) return ''
  return `; ${n} ${doc.hostCheck?.unit ?? 'round'}${n === 1 ? '' : 's'} left out because the host moved`
}

/** Why a check has no runs of these modes to read: they did not run, or the host check left every round out. */
export function whyNoRuns (doc: ResultDoc, modes: readonly string[]): string {
  const ran = doc.runs.filter(r => modes.includes(r.mode) && r.variant === undefined)
  if (ran.length === 0) return `${modes.join(' and ')} did not run`
  const valid = measured(ran)
  if (valid.length === 0) return `every cell of ${modes.join(' and ')} was invalid (${ran[0]?.invalid?.reason ?? ''})`
  const unit = doc.hostCheck?.unit ?? 'round'
  return `every ${unit} with ${modes.join(' and ')} was left out because the host did not hold still (${doc.hostCheck?.leftOut.length ?? 0} of ${doc.hostCheck?.rounds ?? 0}; see the setup); run it again on a quieter host`
}
