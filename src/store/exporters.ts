/**
 * The exporters: each writes a result in another form to a file its flag
 * names (`--export-markdown FILE`, `--export-csv FILE`), beside the result
 * folder. A new one is one row here; `run`'s flags, their help, the check
 * that the folder exists before anything starts and the writing all read
 * this table. The table is data: reading it (for --help) loads no
 * exporter; `renderer` loads one when a run asks for it.
 */
import type { RunOption } from '../plan/options.js'
import type { ResultDoc } from '../types/docs.js'

export interface Exporter {
  /** Its flag, without the dashes. */
  readonly flag: string
  /** One line for --help. */
  readonly description: string
  /** What makes the file's text, loaded when a run asks for it. */
  renderer (): Promise<(doc: ResultDoc) => string>
}

export const EXPORTERS: readonly Exporter[] = [
  { flag: 'export-markdown', description: 'also write the comparison, verdict and per-listener tables as Markdown', renderer: async () => (await import('../report/markdown.js')).resultMarkdown },
  { flag: 'export-csv', description: 'also write the per-listener counts as CSV, a row per listener of every cell', renderer: async () => (await import('./artifacts.js')).countsCsv }
]

/** The exporters' flags as run options (the output group of --help). */
export function exporterOptions (): RunOption[] {
  return EXPORTERS.map(e => ({ flag: e.flag, type: 'string', group: 'output', unit: 'file', description: e.description }))
}
