/**
 * --fail-if: which runs cross which thresholds.
 */
import type { Threshold } from '../types/plan.js'
import type { Headline } from './headline.js'

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
