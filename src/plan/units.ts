/**
 * Numbers as people type them on the command line: counts and rates with
 * k/M (`1k`, `2.5M`), durations with units (`500ms`, `10s`, `2m`, `1h`; a
 * plain number is seconds) and latencies (`50ms`, `1s`, `250us`; a plain
 * number is ms). Each gives undefined for text it does not read.
 */

const NUMBER = '(-?\\d+(?:\\.\\d+)?)'

function scaled (text: string, units: Readonly<Record<string, number>>, plain: number): number | undefined {
  const m = new RegExp(`^${NUMBER}\\s*([a-zA-Z]*)$`).exec(text.trim())
  if (m === null) return undefined
  const factor = m[2] === '' ? plain : units[m[2] ?? '']
  return factor === undefined ? undefined : Number(m[1]) * factor
}

/** '1k' -> 1000, '2.5M' -> 2500000, '12' -> 12. */
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
