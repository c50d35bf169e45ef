/**
 * The kernel's view of a cell in words and rows, for the terminal and the
 * HTML report alike: accept queues per listening socket (samples.queues) and
 * the TCP counters' deltas (samples.netstat), each with what it means.
 */
import { COUNTERS } from '../collect/samplers/netstat.js'
import { num } from './format.js'
import type { Rows } from './rows.js'
import type { AcceptQueues, KernelCounters } from '../types/kernel.js'
import type { ModeRun } from '../types/run.js'

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null

/** The cell's accept-queue samples, when it has them. */
export function queuesOf (r: Pick<ModeRun, 'samples'>): AcceptQueues | undefined {
  const q = r.samples?.queues
  return isObject(q) && Array.isArray(q.sockets) && Array.isArray(q.tMs) ? q as unknown as AcceptQueues : undefined
}

/** The cell's kernel counters, when it has them. */
export function countersOf (r: Pick<ModeRun, 'samples'>): KernelCounters | undefined {
  const c = r.samples?.netstat
  return isObject(c) && isObject(c.deltas) ? c as unknown as KernelCounters : undefined
}

/** One row per listening socket on the port: who holds it, its limit, and its queue over the load. */
export function queueRows (q: AcceptQueues): Rows {
  const end = q.tMs[q.tMs.length - 1] ?? 0
  const sec = (ms: number): string => (ms / 1000).toFixed(1)
  // A socket opened or closed during the load (a restart) says when it was there.
  const seen = (s: AcceptQueues['sockets'][number]): string => {
    const [from, to] = s.seenMs ?? [0, end]
    const late = from > q.intervalMs
    const early = to < end - q.intervalMs
    return late || early ? `${sec(from)}-${sec(to)} s` : 'whole load'
  }
  const rows = q.sockets.map(s => [s.owner, seen(s), num(s.backlog), num(s.max), num(s.p99), num(s.mean, 2), s.drops === undefined ? '-' : num(s.drops)])
  return { head: ['socket', 'there', 'backlog', 'queue max', 'queue p99', 'queue mean', 'drops'], rows }
}

/** 'ListenOverflows +12 (meaning); …', or that none moved; or why nothing was read. */
export function countersText (c: KernelCounters): string {
  if (c.skipped !== undefined) return `kernel counters: not read (${c.skipped})`
  const moved = Object.entries(c.deltas).filter(([, v]) => v !== 0)
  const missing = c.missing.length === 0 ? '' : `; this kernel has no ${c.missing.join(', ')}`
  if (moved.length === 0) return `kernel counters over the load: none moved (${Object.keys(c.deltas).join(', ')})${missing}`
  return `kernel counters over the load: ${moved.map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${num(v)} (${COUNTERS[k] ?? ''})`).join('; ')}${missing}`
}

/** The sentence under the queue table: how it was sampled, and the deepest queue. */
export function queuesText (q: AcceptQueues): string {
  if (q.skipped !== undefined) return `accept queues: not sampled (${q.skipped})`
  const deepest = [...q.sockets].sort((a, b) => b.max - a.max)[0]
  const head = `accept queues: ${q.tMs.length} samples every ${q.intervalMs} ms from the kernel (sock_diag, as ss -ltn reads)`
  if (deepest === undefined || deepest.max === 0) return `${head}; no connection was seen waiting to be accepted`
  return `${head}; the deepest: ${deepest.owner}, ${num(deepest.max)} waiting at most (backlog ${num(deepest.backlog)})`
}

/** Every kernel line of a cell, for the terminal. */
export function kernelLines (r: Pick<ModeRun, 'samples'>, table: (t: Rows) => string): string[] {
  const q = queuesOf(r)
  const c = countersOf(r)
  return [
    ...(q === undefined ? [] : [queuesText(q), ...(q.sockets.length === 0 ? [] : [table(queueRows(q))])]),
    ...(c === undefined ? [] : [countersText(c)])
  ]
}
