/**
 * A cell run over several hosts, in lines for the terminal and the report:
 * where the listeners ran, each client host's share and what it did, and how
 * far the clocks and the start times were apart.
 */
import { num } from './format.js'
import { signedMs } from '../numbers.js'
import { machine } from '../collect/samplers/host.js'
import type { HostsRecord } from '../types/host.js'

const ms = signedMs

export function hostsLines (h: HostsRecord | undefined): string[] {
  if (h === undefined) return []
  const out: string[] = []
  out.push(h.server === undefined ? 'server host: the listeners ran on this host' : `server host: ${h.server.via} (${machine(h.server.facts)}; clock ${ms(h.server.clock.offsetMs)}, round trip ${h.server.clock.rttMs.toFixed(1)} ms)`)
  if (h.clients.length === 0) out.push('client host: the load generator ran on this host')
  for (const c of h.clients) {
    out.push(`client host: ${c.via} (${machine(c.facts)}): ${num(c.connections)} connections${c.rate > 0 ? `, ${num(c.rate)} req/s asked` : ''}, opened ${num(c.connectionsOpened)}, ${num(c.responses)} responses (${num(c.rps)} req/s), p99 ${num(c.latencyMs.p99, 3)} ms, errors ${num(c.errors)}, client ${Math.round(c.coreShare * 100)}% of one core; began ${ms(c.startedAfterMs)} from the planned start`)
  }
  out.push(`clocks: largest offset ${Math.abs(h.clock.largestOffsetMs).toFixed(1)} ms, largest round trip ${h.clock.largestRttMs.toFixed(1)} ms, client hosts began within ${h.clock.startSpreadMs.toFixed(1)} ms of each other; ${h.clock.assumption}`)
  return out
}
