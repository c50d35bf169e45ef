/**
 * How evenly a quantity (accepts, requests) is spread over listener processes.
 */
import type { Fairness } from '../types/run.js'

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
