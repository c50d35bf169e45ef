/**
 * Accept queues as the kernel sees them, per listening socket, during a cell's
 * measured load: every `sampleMs` one sock_diag dump (native listenQueues,
 * what `ss -ltn` reads) from this process, off the listeners' request path.
 * Each socket on the port is put to the process(es) holding it, found once
 * through /proc/<pid>/fd: a reuseport listener's own socket, the one socket
 * the shared mode's listeners all accept from, the cluster primary's.
 */
import { readdirSync, readlinkSync } from 'node:fs'
import { listenQueues } from '../../native/index.js'
import type { AcceptQueues, SocketQueue } from '../../types/kernel.js'
import type { ListenQueue } from '../../types/native.js'
import type { Sampler, SampleTarget } from './sampler.js'
import { num } from '../../numbers.js'
import type { Presentation, Rows } from '../../types/presentation.js'

/** The most points a socket's series keeps; beyond, each point is the largest of its span. */
export const MAX_POINTS = 600

/** The socket inodes process `pid` holds (empty when it is gone or unreadable). */
export function socketInodes (pid: number): Set<number> {
  const out = new Set<number>()
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
        if (m !== null) out.add(Number(m[1]))
      } catch { /* closed meanwhile */ }
    }
  } catch { /* gone */ }
  return out
}

/** 'listener 2', 'shared by listeners 0, 1, 2, 3', 'the cluster primary' or 'unknown'. */
export function ownerOf (inode: number, listeners: ReadonlyArray<Set<number>>, helpers: ReadonlyArray<Set<number>>): { owner: string, listeners: number[] } {
  const holders = listeners.flatMap((s, i) => s.has(inode) ? [i] : [])
  if (holders.length === 1) return { owner: `listener ${holders[0] ?? '?'}`, listeners: holders }
  if (holders.length > 1) return { owner: `shared by listeners ${holders.join(', ')}`, listeners: holders }
  return { owner: helpers.some(s => s.has(inode)) ? 'the cluster primary' : 'unknown', listeners: [] }
}

/** Largest value per span, so that a series keeps at most `max` points and no peak is lost. */
export function downsample (xs: readonly number[], max = MAX_POINTS): number[] {
  if (xs.length <= max) return [...xs]
  const span = Math.ceil(xs.length / max)
  const out: number[] = []
  for (let i = 0; i < xs.length; i += span) out.push(Math.max(...xs.slice(i, i + span)))
  return out
}

/** One socket's figures from its series: max, p99 and mean over the samples from `from` to `to` (while it existed). */
export function summarizeQueue (base: Omit<SocketQueue, 'max' | 'p99' | 'mean' | 'series'>, series: readonly number[], from = 0, to = series.length - 1): SocketQueue {
  const samples = series.slice(from, to + 1)
  const sorted = [...samples].sort((a, b) => a - b)
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0
  const mean = samples.length === 0 ? 0 : samples.reduce((a, b) => a + b, 0) / samples.length
  return { ...base, max: sorted[sorted.length - 1] ?? 0, p99, mean: Math.round(mean * 100) / 100, series: downsample(series) }
}

/** One socket over the samples: its first and last report, the samples it was seen in, its queue at each. */
interface Track { first: ListenQueue, last: ListenQueue, from: number, to: number, series: number[] }

class QueueSampling {
  private readonly t0 = Date.now()
  private readonly tMs: number[] = []
  /** Every socket seen on the port, by inode. */
  private readonly tracks = new Map<number, Track>()
  /** Who holds each socket, found when it is first seen (a listener that is later replaced is gone by the end). */
  private readonly owners = new Map<number, { owner: string, listeners: number[] }>()
  /** Samples left in which to look again for the owner of a socket no known process held. */
  private retries = 100
  private readonly timer: NodeJS.Timeout

  constructor (private readonly target: SampleTarget, private readonly intervalMs: number) {
    this.sample()
    // Never what keeps a process alive: a sampling left running by a cut-short cell must not hold Node open.
    this.timer = setInterval(() => this.sample(), intervalMs).unref()
  }

  private sample (): void {
    const at = this.tMs.length
    this.tMs.push(Date.now() - this.t0)
    const queues = listenQueues(this.target.port)
    // A socket seen before its process is known (a replacement that has not reported ready) is asked about again, for a while.
    const unresolved = queues.filter(q => !this.owners.has(q.inode) || (this.owners.get(q.inode)?.owner === 'unknown' && this.retries > 0))
    if (unresolved.some(q => this.owners.has(q.inode))) this.retries--
    if (unresolved.length > 0) this.resolve(unresolved)
    for (const q of queues) {
      const t = this.tracks.get(q.inode) ?? { first: q, last: q, from: at, to: at, series: [] }
      t.last = q
      t.to = at
      while (t.series.length < at) t.series.push(0) // not there yet, or gone for a while
      t.series.push(q.queued)
      this.tracks.set(q.inode, t)
    }
  }

  private resolve (fresh: readonly ListenQueue[]): void {
    const listeners = (this.target.pidsNow?.() ?? this.target.pids).map(socketInodes)
    const helpers = (this.target.helpers ?? []).map(socketInodes)
    for (const q of fresh) this.owners.set(q.inode, ownerOf(q.inode, listeners, helpers))
  }

  end (): AcceptQueues | null {
    clearInterval(this.timer)
    this.sample()
    if (this.tracks.size === 0) return null
    const sockets = [...this.tracks.entries()].map(([inode, t]) => {
      const drops = t.first.drops < 0 || t.last.drops < 0 ? {} : { drops: t.last.drops - t.first.drops }
      while (t.series.length < this.tMs.length) t.series.push(0) // closed before the end
      const base = { ...(this.owners.get(inode) ?? { owner: 'unknown', listeners: [] }), inode, backlog: t.last.backlog, ...drops }
      return summarizeQueue({ ...base, seenMs: [this.tMs[t.from] ?? 0, this.tMs[t.to] ?? 0], lastQueued: t.last.queued }, t.series, t.from, t.to)
    })
    sockets.sort((x, y) => ((x.listeners[0] ?? Infinity) - (y.listeners[0] ?? Infinity)) || (x.seenMs[0] - y.seenMs[0]))
    return { intervalMs: this.intervalMs, tMs: downsample(this.tMs), sockets }
  }
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

/** The sentence under the queue table: how it was sampled, and the deepest queue. */
export function queuesText (q: AcceptQueues): string {
  if (q.skipped !== undefined) return `accept queues: not sampled (${q.skipped})`
  const deepest = [...q.sockets].sort((a, b) => b.max - a.max)[0]
  const head = `accept queues: ${q.tMs.length} samples every ${q.intervalMs} ms from the kernel (sock_diag, as ss -ltn reads)`
  if (deepest === undefined || deepest.max === 0) return `${head}; no connection was seen waiting to be accepted`
  return `${head}; the deepest: ${deepest.owner}, ${num(deepest.max)} waiting at most (backlog ${num(deepest.backlog)})`
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null

/** A cell's queues as the report shows them: the sentence, the queue length over the load per socket, the table. */
function presentQueues (q: AcceptQueues): Presentation {
  const shown: Presentation = { lines: [queuesText(q)] }
  if (q.sockets.length > 1 || (q.sockets.length > 0 && q.tMs.length > 1)) {
    shown.chart = {
      title: 'accept queue length over the load, per listening socket',
      caption: `connections the kernel accepted that no process had taken yet, sampled every ${q.intervalMs} ms (the largest of each span where the series was thinned)`,
      series: q.sockets.map(s => ({ name: s.owner, points: s.series.map((y, k): [number, number] => [(q.tMs[k] ?? 0) / 1000, y]) })),
      xLabel: 'seconds into the load',
      yLabel: 'connections waiting'
    }
  }
  if (q.sockets.length > 0) shown.table = { caption: 'accept queues', rows: queueRows(q) }
  return shown
}

export const queuesSampler: Sampler<AcceptQueues> = {
  name: 'queues',
  description: 'accept queues per listening socket (length, limit, drops) every --queue-sample-ms during the load, from the kernel (sock_diag; Linux)',
  scope: 'cell',
  is: (q: unknown): q is AcceptQueues => isObject(q) && Array.isArray(q.sockets) && Array.isArray(q.tMs),
  present: presentQueues,
  begin: target => {
    const intervalMs = target.sampleMs ?? 0
    if (intervalMs <= 0) return () => null
    let s: QueueSampling
    try {
      s = new QueueSampling(target, intervalMs)
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      return () => ({ intervalMs, tMs: [], sockets: [], skipped: `sock_diag could not be read here (${why})` })
    }
    return () => s.end()
  }
}
