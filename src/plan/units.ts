/**
 * Numbers as people type them, read in one place for every option, --fail-if
 * and the API: counts and rates with k/M (`1k`, `2.5M`), durations with units
 * (`500ms`, `10s`, `2m`, `1h`; a plain number is seconds), latencies (`50ms`,
 * `1s`, `250us`; a plain number is ms) and shares (`50%`, or 0.5). Each gives
 * undefined for text it does not read.
 */

/** The number and the unit as typed ('2.5k' -> 2.5 and 'k'; '12' -> 12 and ''), or undefined. */
export function splitUnit (text: string): { value: number, unit: string } | undefined {
  const m = /^(-?\d+(?:\.\d+)?)\s*([a-zA-Z%]*)$/.exec(text.trim())
  if (m === null) return undefined
  return { value: Number(m[1]), unit: m[2] ?? '' }
}

function scaled (text: string, units: Readonly<Record<string, number>>, plain: number): number | undefined {
  const s = splitUnit(text)
  if (s === undefined) return undefined
  const factor = s.unit === '' ? plain : units[s.unit]
  return factor === undefined ? undefined : s.value * factor
}

/** '1k' -> 1000, '2.5M' -> 2500000, '12' -> 12: counts and rates (requests per second). */
export function parseCount (text: string): number | undefined {
  const n = scaled(text, { k: 1e3, K: 1e3, M: 1e6 }, 1)
  return n === undefined ? undefined : Math.round(n * 1e6) / 1e6
}

/** '500ms' -> 0.5, '10s' -> 10, '2m' -> 120, '1h' -> 3600, '3' -> 3 (seconds). */
export function parseSeconds (text: string): number | undefined {
  return scaled(text, { ms: 0.001, s: 1, m: 60, h: 3600 }, 1)
}

/** '50ms' -> 50, '1s' -> 1000, '250us' -> 0.25, '7' -> 7 (milliseconds). */
export function parseMillis (text: string): number | undefined {
  return scaled(text, { us: 0.001, ms: 1, s: 1000 }, 1)
}

/** '50%' -> 0.5, '0.5' -> 0.5: a share of a whole. */
export function parseShare (text: string): number | undefined {
  return scaled(text, { '%': 0.01 }, 1)
}
