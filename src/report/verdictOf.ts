/**
 * The verdict of a result, for the terminal and the HTML alike: what each
 * mode's figures support, with their uncertainty, then the scenario shapes.
 */
import { headline } from '../analyse/headline.js'
import { restartShape, stallShape, verdict } from '../analyse/verdict.js'
import type { ResultDoc } from '../types/docs.js'

export function verdictOf (doc: ResultDoc): string[] {
  const base = doc.runs.filter(r => r.variant === undefined)
  const input = base.map(r => ({ ...headline(r), fairness: r.fairness, ...(r.placement === undefined ? {} : { placement: r.placement }), accepts: r.accounting.listenerAccepts, churn: r.load.churn, saturated: r.loadGenerator.saturated }))
  const sentences = verdict(input, doc.comparison, { cpus: doc.host.cpus })
  for (const extra of [stallShape(doc.runs), restartShape(doc.runs)]) if (extra !== undefined) sentences.push(extra)
  return sentences
}
