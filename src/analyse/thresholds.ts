import type { Threshold } from '../types/plan.js'
/**
 * --fail-if: which runs cross which thresholds.
 */

export interface ThresholdRun {
  mode: string
  workers: number
  load: { connections: number }
  trial?: number
  client: { rps: number, errors: number, timeouts: number, latencyMs: { p50: number, p99: number } }
  fairness: { jain: number | null, busiestShare: number | null }
}

function value (t: Threshold, r: ThresholdRun): number | null {
  switch (t.metric) {
    case 'jain': return r.fairness.jain
    case 'busiest': return r.fairness.busiestShare
    case 'p99': return r.client.latencyMs.p99
    case 'p50': return r.client.latencyMs.p50
    case 'rps': return r.client.rps
    case 'errors': return r.client.errors + r.client.timeouts
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
        out.push(`${t.text}: ${r.mode} (${r.workers} workers, ${r.load.connections} connections${r.trial !== undefined && r.trial > 1 ? `, trial ${r.trial}` : ''}) has ${t.metric} ${Number.isInteger(v) ? v : v.toFixed(3)}`)
      }
    }
  }
  return out
}
