/**
 * How evenly a quantity (accepts, requests) is spread over listener processes.
 */

export interface Fairness {
  /** Jain's fairness index: 1 is perfectly even, 1/n is everything on one process. */
  jain: number | null
  /** Busiest over least busy; null when some process got none (unbounded). */
  maxMinRatio: number | null
  /** Coefficient of variation (population standard deviation over mean). */
  cov: number | null
  /** Share of the total taken by the busiest process. */
  busiestShare: number | null
  /** Processes that got none. */
  idle: number
}

const round = (x: number): number => Math.round(x * 10000) / 10000

export function fairness (values: readonly number[]): Fairness {
  const n = values.length
  const total = values.reduce((a, b) => a + b, 0)
  if (n === 0 || total === 0) return { jain: null, maxMinRatio: null, cov: null, busiestShare: null, idle: n }
  const sumSq = values.reduce((a, b) => a + b * b, 0)
  const max = Math.max(...values)
  const min = Math.min(...values)
  const mean = total / n
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n
  return {
    jain: round((total * total) / (n * sumSq)),
    maxMinRatio: min === 0 ? null : round(max / min),
    cov: round(Math.sqrt(variance) / mean),
    busiestShare: round(max / total),
    idle: values.filter(v => v === 0).length
  }
}
