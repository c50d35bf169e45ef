/**
 * The exporters: each writes a result in another form to a file its flag
 * names (`--export-markdown FILE`, `--export-csv FILE`), beside the result
 * folder. A new one is one row here; `run`'s flags, their help, the check
 * that the folder exists before anything starts and the writing all read
 * this table.
 */
import { countsCsv } from './artifacts.js'
import { resultMarkdown } from '../report/markdown.js'
import type { RunOption } from '../plan/options.js'
import type { ResultDoc } from '../types/docs.js'

export interface Exporter {
  /** Its flag, without the dashes. */
  readonly flag: string
  /** One line for --help. */
  readonly description: string
  /** The file's text. */
  render (doc: ResultDoc): string
}

export const EXPORTERS: readonly Exporter[] = [
  { flag: 'export-markdown', description: 'also write the comparison, verdict and per-listener tables as Markdown', render: resultMarkdown },
  { flag: 'export-csv', description: 'also write the per-listener counts as CSV, a row per listener of every cell', render: countsCsv }
]

/** The exporters' flags as run options (the output group of --help). */
export function exporterOptions (): RunOption[] {
  return EXPORTERS.map(e => ({ flag: e.flag, type: 'string', group: 'output', unit: 'file', description: e.description }))
}
