/**
 * "Waiting this way, sequential connections go round the processes" or "all go to one process": the probe's
 * accept-style rows (probe/acceptStyles.ts), Cloudflare's experiment with its own syscalls. Two figures:
 * the share of windows of `workers` consecutive connections taken by `workers` different processes (1 for a
 * strict round-robin; uniform random placement gives workers!/workers^workers on average), and the busiest
 * process's share.
 *
 * - round-robin: reproduced when 90% of windows or more went round; contradicted when one process took 90%
 *   or more, or fewer than half the windows went round; otherwise inconclusive.
 * - same-process: reproduced when one process took 90% or more; contradicted when 90% of windows went round,
 *   or the busiest share is within two standard errors of an even spread; otherwise inconclusive.
 * The kernel's choice here is deterministic, so a clear shape is not luck: 60 connections placed at random
 * would go round in 90% of windows, or land 90% on one process, with a chance far below one in a million.
 */
import { oneOf } from '../../shape.js'
import type { AcceptStyleOrder } from '../../types/probe.js'
import type { StudyCheck } from '../../types/study.js'
import { field, pc } from './shape.js'
import type { Evidence, Judgement, StudyShape } from './shape.js'

const CLEAR = 0.9

/** The share of windows of `w` consecutive connections that `w` different processes took. */
export function roundShare (sequence: readonly number[], w: number): number {
  const windows = sequence.length - w + 1
  if (w < 2 || windows < 1) return 0
  let round = 0
  for (let i = 0; i < windows; i++) if (new Set(sequence.slice(i, i + w)).size === w) round++
  return round / windows
}

/** What uniform random placement gives that share on average: w!/w^w. */
export function randomRoundShare (w: number): number {
  let p = 1
  for (let i = 0; i < w; i++) p *= (w - i) / w
  return p
}

function judgeOrder (o: AcceptStyleOrder, expect: string): Pick<Judgement, 'finding' | 'why'> {
  const round = roundShare(o.sequence, o.workers)
  const busiest = o.total === 0 ? 0 : Math.max(...o.counts) / o.total
  const even = 1 / o.workers + 2 * Math.sqrt((1 / o.workers) * (1 - 1 / o.workers) / Math.max(1, o.total))
  if (expect === 'round-robin') {
    if (round >= CLEAR) return { finding: 'reproduced', why: `${pc(round)} of windows went round (at least ${pc(CLEAR)})` }
    if (busiest >= CLEAR) return { finding: 'contradicted', why: `one process took ${pc(busiest)}: the other shape` }
    if (round < 0.5) return { finding: 'contradicted', why: `only ${pc(round)} of windows went round` }
    return { finding: 'inconclusive', why: `${pc(round)} of windows went round: neither clear round-robin nor one process` }
  }
  if (busiest >= CLEAR) return { finding: 'reproduced', why: `one process took ${pc(busiest)} (at least ${pc(CLEAR)})` }
  if (round >= CLEAR) return { finding: 'contradicted', why: `${pc(round)} of windows went round: the other shape` }
  if (busiest <= even) return { finding: 'contradicted', why: `the busiest took ${pc(busiest)}, within two standard errors of an even spread (${pc(even)})` }
  return { finding: 'inconclusive', why: `the busiest took ${pc(busiest)}: more than an even spread, less than one process` }
}

export const acceptOrder: StudyShape = {
  name: 'accept-order',
  needs: 'probe',
  fields: { style: oneOf(['blocking', 'epoll-exclusive']), expect: oneOf(['round-robin', 'same-process']) },
  modes: (_c: StudyCheck) => [],
  judge (c: StudyCheck, e: Evidence): Judgement {
    const style = field<string>(c, 'style')
    const o = e.probe?.acceptStyles?.find(x => x.style === style)
    if (o === undefined) {
      const skip = e.probe?.skipped.find(k => k.rows === `accept style ${style}`)
      return { measured: 'not measured', value: null, finding: skip === undefined ? 'inconclusive' : 'not run', why: skip?.reason ?? `the probe has no ${style} rows` }
    }
    const round = roundShare(o.sequence, o.workers)
    const first = o.sequence.slice(0, 2 * o.workers).join(',')
    const measured = `${style === 'blocking' ? 'blocking accept()' : 'epoll with EPOLLEXCLUSIVE'}, ${o.workers} processes: the first ${Math.min(o.sequence.length, 2 * o.workers)} connections went to ${first}; ${o.total} connections: ${o.counts.join('/')}; ${pc(round)} of windows of ${o.workers} consecutive connections went to ${o.workers} different processes (random placement: ${pc(randomRoundShare(o.workers))})`
    return { measured, value: { median: round, lo: null, hi: null, unit: 'share of windows' }, ...judgeOrder(o, field<string>(c, 'expect')) }
  }
}
