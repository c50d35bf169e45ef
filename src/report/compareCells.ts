/**
 * Results side by side, cell by cell: each result's runs grouped by mode
 * (and variant), workers and connections, summarised by the median of their
 * trials, never pooled across configurations. `compare`'s page and its
 * terminal summary both read these.
 */
import { wordsOfAll } from '../analyse/words.js'
import { headline } from '../analyse/headline.js'
import { median } from '../analyse/bootstrap.js'
import type { ResultDoc } from '../types/docs.js'
import type { ModeRun } from '../types/run.js'
import { num } from './format.js'

export interface Named { name: string, doc: ResultDoc }

/** One configuration: its label and size. */
export interface CellKey { key: string, label: string, workers: number, connections: number }

/** A result's figures in one cell: medians over its trials, and the trials themselves (by trial number). */
export interface CellFigures { trials: ModeRun[], rps: number, p99Ms: number, jain: number | null, busiestShare: number | null, histogram: string }

const keyOf = (r: ModeRun): CellKey => {
  const label = `${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`}`
  return { key: `${label}|${r.workers}|${r.load.connections}`, label, workers: r.workers, connections: r.load.connections }
}

/** Every cell any result has, in the order they first appear. */
export function cellKeys (named: readonly Named[]): CellKey[] {
  const keys: CellKey[] = []
  for (const n of named) for (const r of n.doc.runs) if (!keys.some(k => k.key === keyOf(r).key)) keys.push(keyOf(r))
  return keys
}

const medianOrNull = (xs: Array<number | null>): number | null => {
  const v = xs.filter((x): x is number => x !== null)
  return v.length === 0 ? null : median(v)
}

/** A result's figures in a cell (undefined when it did not run that cell). The histogram is the median-throughput trial's. */
export function cellFigures (doc: ResultDoc, key: string): CellFigures | undefined {
  const trials = doc.runs.filter(r => keyOf(r).key === key).sort((a, b) => a.trial - b.trial)
  if (trials.length === 0) return undefined
  const hs = trials.map(headline)
  const byRps = [...trials].sort((a, b) => a.client.rps - b.client.rps)
  return {
    trials,
    rps: median(hs.map(h => h.rps)),
    p99Ms: median(hs.map(h => h.p99Ms)),
    jain: medianOrNull(hs.map(h => h.jain)),
    busiestShare: medianOrNull(hs.map(h => h.busiestShare)),
    histogram: byRps[Math.floor((byRps.length - 1) / 2)]?.client.histogram ?? ''
  }
}

/** "0.91x [0.86, 0.95] over 3 paired trials", or "(1 trial each: no interval)". */
export function ratioText (a: CellFigures, b: CellFigures, pick: (r: ModeRun) => number | null, medianOf: (f: CellFigures) => number | null): string {
  const x = medianOf(a)
  const y = medianOf(b)
  if (x === null || y === null || y === 0) return '-'
  const pairs = a.trials.flatMap(t => {
    const u = b.trials.find(v => v.trial === t.trial)
    const p = pick(t)
    const q = u === undefined ? null : pick(u)
    return p === null || q === null || q === 0 ? [] : [p / q]
  })
  const r = `${num(x / y, 2)}x`
  if (pairs.length < 2) return `${r} (${a.trials.length === 1 && b.trials.length === 1 ? '1 trial each' : 'fewer than 2 paired trials'}: no interval)`
  return `${r} [${num(Math.min(...pairs), 2)}, ${num(Math.max(...pairs), 2)}] over ${pairs.length} paired trials (min-max)`
}

/** The terminal summary: each later result against the first, cell by cell. */
export function compareSummary (named: readonly Named[]): string[] {
  const [base, ...rest] = named
  if (base === undefined) return []
  const out: string[] = []
  const w = wordsOfAll(named.flatMap(x => x.doc.runs))
  for (const n of rest) {
    for (const k of cellKeys(named)) {
      const a = cellFigures(n.doc, k.key)
      const b = cellFigures(base.doc, k.key)
      if (a === undefined || b === undefined) continue
      out.push(`${n.name} vs ${base.name}: ${k.label} (${k.workers} workers, ${k.connections} ${w.connections}) ${w.rate} ${ratioText(a, b, r => r.client.rps, f => f.rps)}; p99 ${ratioText(a, b, r => r.client.latencyMs.p99, f => f.p99Ms)}`)
    }
  }
  return out
}

/** "reuseport (2 workers, 50 connections), shared (...)": the cells of one result, for a message. */
function cellsText (n: Named): string {
  return cellKeys([n]).map(k => `${k.label} (${k.workers} workers, ${k.connections} connections)`).join(', ')
}

/**
 * Why these results cannot be put side by side, or undefined when they can: a later result
 * that shares no cell (mode, workers, connections) with the first, named with what each has.
 * Two results that both carry the bind/listen probe always have its matrix in common.
 */
export function nothingInCommon (named: readonly Named[]): string | undefined {
  const [base, ...rest] = named
  if (base === undefined) return undefined
  const baseKeys = new Set(cellKeys([base]).map(k => k.key))
  const probes = (n: Named): boolean => n.doc.probe !== undefined && base.doc.probe !== undefined
  const apart = rest.find(n => !probes(n) && !cellKeys([n]).some(k => baseKeys.has(k.key)))
  if (apart === undefined) return undefined
  const has = (n: Named): string => n.doc.runs.length === 0 ? 'no benchmark cell' : cellsText(n)
  return `${apart.name} and ${base.name} have no cell in common (a cell is a mode with its workers and connections): ${base.name} has ${has(base)}; ${apart.name} has ${has(apart)}`
}
