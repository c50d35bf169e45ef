/**
 * Each mode against the shared-accept baseline (same number of workers, same load), as ratios.
 */

export interface ComparableRun {
  mode: string
  workers: number
  rps: number
  p99Ms: number
  jain: number | null
}

export interface Comparison {
  mode: string
  workers: number
  baseline: string
  /** Requests/s of this mode over the baseline's: above 1 is faster. */
  throughputRatio: number | null
  /** Client p99 of this mode over the baseline's: below 1 is better. */
  p99Ratio: number | null
  /** Jain's index of accepts over the baseline's: above 1 is fairer. */
  jainRatio: number | null
}

const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : Math.round((a / b) * 1000) / 1000

export function compareToBaseline (runs: readonly ComparableRun[], baseline = 'shared'): Comparison[] {
  const out: Comparison[] = []
  for (const r of runs) {
    const base = runs.find(b => b.mode === baseline && b.workers === r.workers)
    if (base === undefined) continue
    out.push({
      mode: r.mode,
      workers: r.workers,
      baseline,
      throughputRatio: ratio(r.rps, base.rps),
      p99Ratio: ratio(r.p99Ms, base.p99Ms),
      jainRatio: ratio(r.jain, base.jain)
    })
  }
  return out
}
