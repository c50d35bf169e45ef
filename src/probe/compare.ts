/**
 * Measured cells against the article's table for the host's OS.
 */
import type { AddressPair, ArticleCell, Experiment } from './article.js'

export interface ProbeCell {
  /** bind | listen for the article's experiments; other names for extra rows. */
  experiment: string
  /** Which set of rows the cell belongs to (article, ipv6, order, uid, timewait, reuseport_lb). */
  group: string
  addrA: string
  addrB: string
  reuseaddr: 0 | 1
  reuseport: 0 | 1
  /** 'ok' or the errno name of the call that failed. */
  outcome: string
  /** The call that failed (bind or listen), when one did. */
  failedAt?: string
  expected: 'ok' | 'EADDRINUSE' | null
  /** Where `expected` comes from (the article, or a man page for extra rows). */
  expectedSource?: string
  matches: boolean | null
  extra: boolean
  note?: string
  /** For article cells: which of the three address pairs. */
  pair?: AddressPair
}

/** The article's outcome for a cell, or null when the table has no such cell. */
export function expectedFor (table: readonly ArticleCell[] | undefined, experiment: Experiment, pair: AddressPair, reuseaddr: 0 | 1, reuseport: 0 | 1): 'ok' | 'EADDRINUSE' | null {
  const cell = table?.find(c => c.experiment === experiment && c.pair === pair && c.reuseaddr === reuseaddr && c.reuseport === reuseport)
  return cell?.outcome ?? null
}

/** true/false when there is an expectation, null when there is none. */
export function matches (outcome: string, expected: string | null): boolean | null {
  return expected === null ? null : outcome === expected
}

export interface MatrixSummary {
  articleCells: number
  articleMatches: number
  mismatches: ProbeCell[]
}

export function summarizeCells (cells: readonly ProbeCell[]): MatrixSummary {
  const article = cells.filter(c => !c.extra)
  return {
    articleCells: article.length,
    articleMatches: article.filter(c => c.matches === true).length,
    mismatches: cells.filter(c => c.matches === false)
  }
}
