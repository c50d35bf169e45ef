/**
 * Which side limited a cell's throughput. The load generator can use one
 * core per thread, at most its CPUs: at 90% of that or more it sets the pace;
 * so it does when a client thread's event loop was busy 90% of the time or
 * more (it never waited for a response: busy, or starved of CPU by the
 * listeners on shared CPUs, when its CPU share alone says little).
 * The listeners can use at most min(processes, their CPUs) cores (their pinned
 * set, or the host's when not pinned); at 90% of that they do. One side at
 * its limit and the other not: that side bound the cell. Both or neither:
 * unclear (on shared CPUs, or something else, such as the network path or
 * the kernel, limited it). At a fixed --rate that was delivered, the rate
 * set the pace (rate-bound), whatever the client spent waiting for it (the
 * paced driver spins between sends). A client-bound cell's throughput
 * measures the client, and the verdict does not rank it.
 */
import { TCP_WORDS } from './words.js'
import type { Words } from './words.js'
import { percent } from '../numbers.js'
import { SATURATION_SHARE } from '../types/load.js'
import type { Bottleneck } from '../types/run.js'

/** At this share of its capacity a side counts as the limit (the same share the client's saturation flag uses). */
export const BOUND_AT = SATURATION_SHARE

export interface BottleneckInput {
  /** The load generator's CPU over the load as a share of one core (above 1 with threads). */
  clientCoreShare: number
  /** The cores it could use: min(threads, its CPUs); 1 when absent. */
  clientCores?: number
  /** Each client thread's event-loop utilization over the load; absent in older results. */
  clientLoops?: readonly number[]
  /** The listeners' CPU time over the measured load, ms, and the load's length, s. */
  listenerCpuMs: number
  durationSec: number
  workers: number
  /** The CPUs the listeners could use: their pinned set's size, or the host's. */
  listenerCpus: number
  /** A fixed rate was asked for and delivered (within 1%). */
  rateMet?: boolean
}

export function bottleneckOf (x: BottleneckInput): Bottleneck {
  const capacity = Math.max(1, Math.min(x.workers, x.listenerCpus))
  const listenerShare = x.durationSec > 0 ? x.listenerCpuMs / (x.durationSec * 1000) / capacity : 0
  const clientShare = x.clientCoreShare / Math.max(1, x.clientCores ?? 1)
  const loopBusy = x.clientLoops === undefined || x.clientLoops.length === 0 ? undefined : Math.max(...x.clientLoops)
  const client = clientShare >= BOUND_AT || (loopBusy ?? 0) >= BOUND_AT
  const listeners = listenerShare >= BOUND_AT
  const kind: Bottleneck['kind'] = x.rateMet === true ? 'rate-bound' : client && !listeners ? 'client-bound' : listeners && !client ? 'listener-bound' : 'unclear'
  return { kind, clientShare: Math.round(clientShare * 1000) / 1000, ...(loopBusy === undefined ? {} : { clientLoopBusy: loopBusy }), listenerShare: Math.round(listenerShare * 1000) / 1000, listenerCapacity: capacity }
}

/** How to free a client-bound cell. */
export const CLIENT_BOUND_FIX = 'give the client more CPUs and threads (--client-cpus, --client-threads) or run fewer listeners'

const span = (xs: readonly number[]): string => {
  const [lo, hi] = [percent(Math.min(...xs), 0), percent(Math.max(...xs), 0)]
  return lo === hi ? lo : `${lo} to ${hi}`
}

/**
 * Said when neither side was at its limit in most cells (or slices) of the run: on a host where other work takes
 * the client's CPU, the listeners idle part of the time, and a mode's extra CPU per request then costs less
 * throughput than where the listeners are the limit, so the ratios describe that regime (the verdict says so
 * rather than rank the modes as on an idle host). Undefined when most cells had a side at its limit.
 */
export function belowLimits (cells: ReadonlyArray<Bottleneck | undefined>, unit: 'cells' | 'slices' = 'cells', w: Words = TCP_WORDS): string | undefined {
  const known = cells.filter((b): b is Bottleneck => b !== undefined)
  const below = known.filter(b => b.kind === 'unclear' && b.listenerShare < BOUND_AT && b.clientShare < BOUND_AT)
  if (known.length === 0 || 2 * below.length <= known.length) return undefined
  return `Neither side was at its limit in ${below.length} of ${known.length} ${unit}: the listeners used ${span(below.map(b => b.listenerShare))} of their CPU and the client ${span(below.map(b => b.clientShare))} of its cores (too few ${w.connections} to keep either busy, other work on the client's CPUs, or the network path). The ${w.rate} ratios compare the modes below the listeners' capacity, where a mode's extra CPU per ${w.request} costs less throughput than when the listeners are the limit; on a host where they are, the ratios may lie further from 1.`
}
