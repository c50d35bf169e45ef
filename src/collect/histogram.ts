/**
 * The one place that knows histogram settings, and how histograms travel
 * (compressed base64) and merge. All latencies are recorded in microseconds.
 */
import * as hdr from 'hdr-histogram-js'
import type { LatencySummary } from '../types/load.js'

export type { LatencySummary } from '../types/load.js'

export type Histogram = hdr.Histogram

/** 1 us to 60 s, 3 significant digits. */
export function createHistogram (): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false
  })
}

export function encodeHistogram (h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h)
}

export function decodeHistogram (s: string): Histogram {
  return hdr.decodeFromCompressedBase64(s, 32, false)
}

/** Merges encoded histograms into a new one. */
export function mergeHistograms (encoded: readonly string[]): Histogram {
  const out = createHistogram()
  for (const e of encoded) {
    const h = decodeHistogram(e)
    out.add(h)
    h.destroy()
  }
  return out
}

/** Encoded histograms merged: the result encoded, and its percentiles divided by `scale`. */
export function mergeEncoded (encoded: readonly string[], scale = 1): { encoded: string, summary: LatencySummary } {
  const h = mergeHistograms(encoded)
  try {
    return { encoded: encodeHistogram(h), summary: summarize(h, scale) }
  } finally {
    h.destroy()
  }
}

/** Percentiles of `h`, divided by `scale` (1000 turns microseconds into milliseconds). */
export function summarize (h: Histogram, scale = 1): LatencySummary {
  const r = (v: number): number => Math.round((v / scale) * 1000) / 1000
  if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }
  return {
    count: h.totalCount,
    mean: r(h.mean),
    p50: r(h.getValueAtPercentile(50)),
    p90: r(h.getValueAtPercentile(90)),
    p99: r(h.getValueAtPercentile(99)),
    p999: r(h.getValueAtPercentile(99.9)),
    max: r(h.maxValue)
  }
}

export function summarizeEncoded (s: string, scale = 1): LatencySummary {
  const h = decodeHistogram(s)
  const out = summarize(h, scale)
  h.destroy()
  return out
}

/**
 * Points of the percentile spectrum: [log10(1/(1-p)), value / scale], from the
 * 0th percentile up to where the sample count still resolves (log10 of the count).
 */
export function spectrum (encoded: string, scale = 1, step = 0.05): Array<[number, number]> {
  const h = decodeHistogram(encoded)
  try {
    if (h.totalCount === 0) return []
    const xmax = Math.min(6, Math.log10(h.totalCount))
    const out: Array<[number, number]> = []
    for (let x = 0; x <= xmax + 1e-9; x += step) {
      const p = 100 * (1 - 10 ** -x)
      out.push([Math.round(x * 1000) / 1000, h.getValueAtPercentile(p) / scale])
    }
    out.push([Math.round(xmax * 1000) / 1000, h.maxValue / scale])
    return out
  } finally {
    h.destroy()
  }
}

/** The standard HdrHistogram percentile-distribution text (.hgrm), values divided by `scale`. */
export function hgrm (encoded: string, scale = 1): string {
  const h = decodeHistogram(encoded)
  try {
    return h.outputPercentileDistribution(5, scale)
  } finally {
    h.destroy()
  }
}
