/**
 * A run's scenario (work, stall, steering, restart) in plain sentences, for the terminal and the HTML report.
 */
import { num } from './format.js'
import { countersOf, queuesOf } from './kernel.js'
import { steeringLines } from './steering.js'
import type { ModeRun } from '../types/run.js'
import { kindNamed } from '../topology/kinds/index.js'


/** The stalled listener's accept queue against the others' (own sockets only: one shared socket cannot tell them apart). */
function stallQueues (r: ModeRun, index: number): string | undefined {
  const q = queuesOf(r)
  if (q === undefined || q.sockets.length === 0) return undefined
  const own = q.sockets.filter(s => s.listeners.length === 1)
  const mine = own.find(s => s.listeners[0] === index)
  if (mine === undefined) return `accept queue: one socket for every listener (${q.sockets[0]?.owner ?? '?'}), max ${num(Math.max(...q.sockets.map(s => s.max)))}: the kernel cannot tell which listener would have taken what waited`
  const others = own.filter(s => s !== mine)
  const worst = (f: (s: (typeof own)[number]) => number): number | null => others.length === 0 ? null : Math.max(...others.map(f))
  return `accept queue of the stalled listener ${index}: max ${num(mine.max)}, p99 ${num(mine.p99)}, mean ${num(mine.mean, 2)}; the others' at most: max ${num(worst(s => s.max))}, p99 ${num(worst(s => s.p99))}, mean ${num(worst(s => s.mean), 2)} (from the kernel, every ${q.intervalMs} ms)`
}

/** What waited in the sockets that closed during the load (their last samples), beside the kernel's migrations. */
function restartQueues (r: ModeRun): string | undefined {
  const q = queuesOf(r)
  const end = q?.tMs[q.tMs.length - 1] ?? 0
  const closed = (q?.sockets ?? []).filter(s => s.seenMs[1] < end - (q?.intervalMs ?? 0))
  if (q === undefined || closed.length === 0) return undefined
  const waiting = closed.reduce((a, s) => a + s.lastQueued, 0)
  const migrated = countersOf(r)?.deltas
  const kernel = migrated === undefined ? '' : `; the kernel moved ${num(migrated.TCPMigrateReqSuccess ?? null)} to another listener and failed to move ${num(migrated.TCPMigrateReqFailure ?? null)} (TCPMigrateReqSuccess, TCPMigrateReqFailure)`
  return `accept queues at close: ${closed.length} listening socket${closed.length === 1 ? '' : 's'} closed during the load with ${num(waiting)} connection${waiting === 1 ? '' : 's'} waiting at their last samples (${closed.map(s => `${s.owner} ${s.lastQueued}`).join(', ')})${kernel}`
}

/** Where the client threads ran, where that decides which listener gets a connection (steering by CPU, a kind that places by CPU). */
function placementLine (r: ModeRun): string | undefined {
  const byCpu = kindNamed(r.mode)?.placesByCpu === true || r.scenario?.steer?.kind === 'cpu'
  if (!byCpu) return undefined
  const threads = r.loadGenerator.placement ?? []
  const where = threads.length === 0 ? 'not recorded' : threads.map((t, i) => `thread ${i} on ${t.cpus === null ? 'any CPU' : `CPU${t.cpus.length === 1 ? '' : 's'} ${t.cpus.join(',')}`}${t.lastCpu === null ? '' : ` (last ran on ${t.lastCpu})`}`).join(', ')
  return `client placement: ${where}. On loopback the SYN is processed on the CPU of the client thread that sent it, so the client's CPUs decide which listener each connection goes to; one client CPU sends every connection to one listener.`
}

/** What the run's scenario did, in a line or two. */
export function scenarioLines (r: ModeRun): string[] {
  const out: string[] = []
  const sc = r.scenario ?? {}
  if (r.load.generator === 'external') out.push('load: from a load generator outside the harness (serve): req/s is what the listeners served over the serving window, and latency is their server time, not the client\'s round trip')
  if (sc.workUs !== undefined) out.push(`scenario: ${sc.workUs} us of CPU work per request`)
  if (sc.stall !== undefined) {
    const stalled = r.client.byListener?.find(b => b.index === sc.stall?.index)
    const others = (r.client.byListener ?? []).filter(b => b.index !== sc.stall?.index)
    const othersP99 = others.length === 0 ? null : Math.max(...others.map(o => o.latencyMs.p99))
    out.push(`scenario: listener ${sc.stall.index} stalls ${sc.stall.forMs} ms every ${sc.stall.everyMs} ms; client p99 of responses it served ${num(stalled?.latencyMs.p99 ?? null, 2)} ms, worst of the others ${num(othersP99, 2)} ms`)
    const queues = stallQueues(r, sc.stall.index)
    if (queues !== undefined) out.push(queues)
  }
  out.push(...steeringLines(r))
  const placement = placementLine(r)
  if (placement !== undefined) out.push(placement)
  if (sc.restart !== undefined) {
    const x = sc.restart
    const closed = restartQueues(r)
    if (closed !== undefined) out.push(closed)
    out.push(`scenario: rolling restart of ${x.events.length} listeners between ${(x.windowMs[0] / 1000).toFixed(1)} s and ${(x.windowMs[1] / 1000).toFixed(1)} s; client errors in that window ${x.errorsInWindow}, outside ${x.errorsOutsideWindow}${Object.keys(x.errorCodes).length === 0 ? '' : ` (${Object.entries(x.errorCodes).map(([k, v]) => `${k} ${v}`).join(', ')})`}; tcp_migrate_req=${x.tcpMigrateReq ?? 'unknown'}`)
  }
  if (r.clientHost !== undefined) {
    const peers = new Set(r.listeners.flatMap(l => Object.keys(l.peers ?? {})))
    out.push(`client host: load generator in network namespace ${r.clientHost.clientNs} with ${r.clientHost.clientAddresses.length} address${r.clientHost.clientAddresses.length === 1 ? '' : 'es'} (${r.clientHost.clientAddresses.join(', ')}), listeners in ${r.clientHost.serverNs} on ${r.clientHost.serverAddress}, joined by a veth pair; listeners saw ${peers.size} peer address${peers.size === 1 ? '' : 'es'}`)
  }
  return out
}

