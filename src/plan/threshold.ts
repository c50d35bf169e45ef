/**
 * A --fail-if threshold (`jain<0.9`, `p99>50ms`): its metric, its direction and its value in the metric's
 * unit; one that can never, or always, be crossed is refused.
 */
import { UsageError } from '../errors.js'
import type { Threshold } from '../types/plan.js'
import { parseCount, parseMillis, parseShare, splitUnit } from './units.js'

/** Each metric's units, the parser its value goes through (plan/units.ts), and the values a threshold on it can take (a threshold that can never, or always, be crossed is refused). */
const METRICS: Record<Threshold['metric'], { units: readonly string[], parse: (text: string) => number | undefined, min: number, max: number, range: string }> = {
  jain: { units: [''], parse: parseCount, min: 0, max: 1, range: "from 0 to 1 (Jain's index is at most 1)" },
  busiest: { units: ['%', ''], parse: parseShare, min: 0, max: 1, range: 'from 0% to 100% (or 0 to 1)' },
  p99: { units: ['ms', 's', 'us'], parse: parseMillis, min: 0, max: 3_600_000, range: 'a latency with its unit, e.g. 50ms or 1s' },
  p50: { units: ['ms', 's', 'us'], parse: parseMillis, min: 0, max: 3_600_000, range: 'a latency with its unit, e.g. 5ms' },
  rps: { units: ['', 'k', 'M'], parse: parseCount, min: 0, max: Number.MAX_SAFE_INTEGER, range: 'requests per second, e.g. 5000 or 5k' },
  errors: { units: ['', 'k'], parse: parseCount, min: 0, max: Number.MAX_SAFE_INTEGER, range: 'a count, e.g. 0' }
}

/** A threshold from its text; UsageError naming it when it is not one. */
export function parseThreshold (t: string): Threshold {
  const m = /^(jain|p99|p50|rps|errors|busiest)\s*(<|>)\s*(.*)$/.exec(t.trim())
  const typed = m === null ? undefined : splitUnit(m[3] ?? '')
  if (m === null || typed === undefined || typed.value < 0) throw new UsageError(`--fail-if '${t}' is not METRIC<VALUE or METRIC>VALUE with METRIC one of jain, p99, p50, rps, errors, busiest (e.g. jain<0.9, p99>50ms)`)
  const metric = m[1] as Threshold['metric']
  const op = m[2] as Threshold['op']
  const spec = METRICS[metric]
  if (!spec.units.includes(typed.unit)) throw new UsageError(`--fail-if '${t}': ${metric} takes ${spec.range}${typed.unit === '' ? '' : `, not '${typed.unit}'`}`)
  const value = spec.parse(m[3] ?? '') ?? NaN
  const always = (op === '<' && value > spec.max) || (op === '>' && value < spec.min)
  const never = (op === '<' && value <= spec.min) || (op === '>' && value >= spec.max)
  if (always || never) throw new UsageError(`--fail-if '${t}' is ${always ? 'always' : 'never'} crossed: ${metric} takes ${spec.range}`)
  return { metric, op, value, text: t.trim() }
}
