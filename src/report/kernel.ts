/**
 * The samplers' view of a cell, for the terminal and the HTML report alike:
 * every registered sampler whose figures a cell has (and pass its check) is
 * shown as it presents itself (collect/samplers/*.ts), in registry order.
 */
import { SAMPLERS } from '../collect/samplers/index.js'
import { netstatSampler } from '../collect/samplers/netstat.js'
import { queuesSampler } from '../collect/samplers/queues.js'
import { figuresOf } from '../collect/samplers/sampler.js'
import type { Sampler } from '../collect/samplers/sampler.js'
import type { AcceptQueues, KernelCounters } from '../types/kernel.js'
import type { Presentation, Rows } from '../types/presentation.js'
import type { ModeRun } from '../types/run.js'

export { countersText } from '../collect/samplers/netstat.js'
export { queueRows, queuesText } from '../collect/samplers/queues.js'


/** The cell's accept-queue samples, when it has them. */
export const queuesOf = (r: Pick<ModeRun, 'samples'>): AcceptQueues | undefined => figuresOf(queuesSampler, r)

/** The cell's kernel counters, when it has them. */
export const countersOf = (r: Pick<ModeRun, 'samples'>): KernelCounters | undefined => figuresOf(netstatSampler, r)

/** What every presenting sampler has to show of a cell, in registry order. */
export function presentations (r: Pick<ModeRun, 'samples'>, samplers: readonly Sampler[] = SAMPLERS): Presentation[] {
  const out: Presentation[] = []
  for (const s of samplers) {
    const v = s.present === undefined ? undefined : figuresOf(s, r)
    if (v !== undefined && s.present !== undefined) out.push(s.present(v))
  }
  return out
}

/** Every sampler's lines of a cell, for the terminal: sentences and tables (charts are the page's). */
export function kernelLines (r: Pick<ModeRun, 'samples'>, table: (t: Rows) => string): string[] {
  return presentations(r).flatMap(p => [...p.lines, ...(p.table === undefined ? [] : [table(p.table.rows)])])
}
