/**
 * A run's scenario (work, stall, steering, restart) in plain sentences, for the terminal and the HTML report.
 */
import { num } from './format.js'
import type { ModeRun } from '../types/run.js'


/** What the run's scenario did, in a line or two. */
export function scenarioLines (r: ModeRun): string[] {
  const out: string[] = []
  const sc = r.scenario ?? {}
  if (sc.workUs !== undefined) out.push(`scenario: ${sc.workUs} us of CPU work per request`)
  if (sc.stall !== undefined) {
    const stalled = r.client.byListener?.find(b => b.index === sc.stall?.index)
    const others = (r.client.byListener ?? []).filter(b => b.index !== sc.stall?.index)
    const othersP99 = others.length === 0 ? null : Math.max(...others.map(o => o.latencyMs.p99))
    out.push(`scenario: listener ${sc.stall.index} stalls ${sc.stall.forMs} ms every ${sc.stall.everyMs} ms; client p99 of responses it served ${num(stalled?.latencyMs.p99 ?? null, 2)} ms, worst of the others ${num(othersP99, 2)} ms`)
  }
  if (sc.steer !== undefined) out.push(`scenario: connections steered by a classic BPF program (${sc.steer.kind === 'cpu' ? 'receiving CPU modulo the group size' : 'all to the first socket'}); detached at the end: ${sc.steer.detached}`)
  if (sc.restart !== undefined) {
    const x = sc.restart
    out.push(`scenario: rolling restart of ${x.events.length} listeners between ${(x.windowMs[0] / 1000).toFixed(1)} s and ${(x.windowMs[1] / 1000).toFixed(1)} s; client errors in that window ${x.errorsInWindow}, outside ${x.errorsOutsideWindow}${Object.keys(x.errorCodes).length === 0 ? '' : ` (${Object.entries(x.errorCodes).map(([k, v]) => `${k} ${v}`).join(', ')})`}; tcp_migrate_req=${x.tcpMigrateReq ?? 'unknown'}`)
  }
  if (r.clientHost !== undefined) {
    const peers = new Set(r.listeners.flatMap(l => Object.keys(l.peers ?? {})))
    out.push(`client host: load generator in network namespace ${r.clientHost.clientNs} with ${r.clientHost.clientAddresses.length} address${r.clientHost.clientAddresses.length === 1 ? '' : 'es'} (${r.clientHost.clientAddresses.join(', ')}), listeners in ${r.clientHost.serverNs} on ${r.clientHost.serverAddress}, joined by a veth pair; listeners saw ${peers.size} peer address${peers.size === 1 ? '' : 'es'}`)
  }
  return out
}

