/**
 * Each mode against the shared-accept baseline (same number of workers, same load), as ratios.
 */
import type { Comparison } from '../types/docs.js'

export interface ComparableRun {
  mode: string
  workers: number
  connections?: number
  trial?: number
  rps: number
  p99Ms: number
  jain: number | null
}

const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : Math.round((a / b) * 1000) / 1000

/** Every run against the baseline mode's run of its configuration and trial (`baseline` is a kind's property, topology/kinds). */
export function compareToBaseline (runs: readonly ComparableRun[], baseline: string): Comparison[] {
  const out: Comparison[] = []
  for (const r of runs) {
    const base = runs.find(b => b.mode === baseline && b.workers === r.workers && b.connections === r.connections && b.trial === r.trial)
    if (base === undefined) continue
    out.push({
      mode: r.mode,
      workers: r.workers,
      ...(r.connections === undefined ? {} : { connections: r.connections }),
      ...(r.trial === undefined ? {} : { trial: r.trial }),
      baseline,
      throughputRatio: ratio(r.rps, base.rps),
      p99Ratio: ratio(r.p99Ms, base.p99Ms),
      jainRatio: ratio(r.jain, base.jain)
    })
  }
  return out
}

/** The comparison entry of one run (same mode, workers, connections and trial). */
export function comparisonFor (comparison: readonly Comparison[], r: { mode: string, workers: number, load?: { connections: number }, trial?: number, variant?: string }): Comparison | undefined {
  if (r.variant !== undefined) return undefined
  return comparison.find(x => x.mode === r.mode && x.workers === r.workers &&
    (x.connections === undefined || x.connections === r.load?.connections) && (x.trial === undefined || x.trial === r.trial))
}
