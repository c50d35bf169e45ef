/**
 * Measured cells against the article's table for the host's OS.
 */
import type { ArticleCell, Experiment } from './article.js'
import type { AddressPair, MatrixSummary, ProbeCell } from '../types/probe.js'

/** The article's outcome for a cell, or null when the table has no such cell. */
export function expectedFor (table: readonly ArticleCell[] | undefined, experiment: Experiment, pair: AddressPair, reuseaddr: 0 | 1, reuseport: 0 | 1): 'ok' | 'EADDRINUSE' | null {
  const cell = table?.find(c => c.experiment === experiment && c.pair === pair && c.reuseaddr === reuseaddr && c.reuseport === reuseport)
  return cell?.outcome ?? null
}

/** true/false when there is an expectation, null when there is none. */
export function matches (outcome: string, expected: string | null): boolean | null {
  return expected === null ? null : outcome === expected
}

export function summarizeCells (cells: readonly ProbeCell[]): MatrixSummary {
  const article = cells.filter(c => !c.extra)
  return {
    articleCells: article.length,
    articleMatches: article.filter(c => c.matches === true).length,
    mismatches: cells.filter(c => c.matches === false)
  }
}
