/**
 * --fail-if: which runs cross which thresholds.
 */
import type { Threshold } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'
import type { Headline } from './headline.js'
import { headline } from './headline.js'
import { measured } from './validity.js'

/** What a threshold looks at: a run's headline figures (analyse/headline.ts). */
export type ThresholdRun = Pick<Headline, 'mode' | 'workers' | 'connections' | 'trial' | 'rps' | 'errors' | 'p50Ms' | 'p99Ms' | 'jain' | 'busiestShare'>

function value (t: Threshold, r: ThresholdRun): number | null {
  switch (t.metric) {
    case 'jain': return r.jain
    case 'busiest': return r.busiestShare
    case 'p99': return r.p99Ms
    case 'p50': return r.p50Ms
    case 'rps': return r.rps
    case 'errors': return r.errors
  }
}

/** One line per crossing, e.g. "jain<0.9: shared (4 workers, 50 connections) has jain 0.52". */
export function checkThresholds (thresholds: readonly Threshold[], runs: readonly ThresholdRun[]): string[] {
  const out: string[] = []
  for (const t of thresholds) {
    for (const r of runs) {
      const v = value(t, r)
      if (v === null) continue
      if ((t.op === '<' && v < t.value) || (t.op === '>' && v > t.value)) {
        out.push(`${t.text}: ${r.mode} (${r.workers} workers, ${r.connections} connections${r.trial > 1 ? `, trial ${r.trial}` : ''}) has ${t.metric} ${Number.isInteger(v) ? v : v.toFixed(3)}`)
      }
    }
  }
  return out
}

/**
 * Every gate over a result's cells: the crossings of the cells that measured their listeners, and,
 * when any gate is set, every cell that did not (a dead server, another run's sockets) as a failure
 * of its own, since no figure of it can pass a gate.
 */
export function checkGates (thresholds: readonly Threshold[], runs: readonly ModeRun[]): string[] {
  if (thresholds.length === 0) return []
  const gates = thresholds.map(t => t.text).join(', ')
  const failed = runs.filter(r => r.invalid !== undefined).map(r => `${gates}: ${r.mode} (${r.workers} workers, ${r.load.connections} connections${r.trial > 1 ? `, trial ${r.trial}` : ''}) cannot pass: ${r.invalid?.reason ?? ''}`)
  return [...failed, ...checkThresholds(thresholds, measured(runs).map(headline))]
}
