/**
 * What a plug-in (a sampler) hands the report to show, as data: sentences, a
 * table, a chart. The terminal and the HTML page render it their own way. At
 * the bottom: imports nothing.
 */

/** A table as rows of text. */
export interface Rows {
  head: string[]
  rows: string[][]
  /** Indexes of the columns a narrow rendering (the terminal) shows; all when absent. */
  brief?: number[]
}

/** A line of a chart: its name in the legend and its points (x, y). */
export interface SeriesData { name: string, points: Array<[number, number]> }

/** A plug-in's figures of one cell, to show: sentences (each without its full stop), then a chart and a table. */
export interface Presentation {
  lines: string[]
  chart?: { title: string, caption: string, series: SeriesData[], xLabel: string, yLabel: string }
  table?: { caption: string, rows: Rows }
}
