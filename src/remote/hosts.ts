/**
 * The hosts of a run over several machines: the server host (--server-via)
 * and the client hosts (--client-via), connected at once before the first
 * cell and closed after the last, whatever happens; and what a cell records
 * of them, with the clock assumption and the skew that was measured.
 */
import { RemoteHost } from './host.js'
import type { ClientHostRecord, ControlRole, HostsRecord } from '../types/remote.js'
import type { RemoteReplies } from './replies.js'

export interface RunHosts { server?: RemoteHost, clients: RemoteHost[] }

/** What the hosts' start times rest on; recorded with every cell. */
export const CLOCK_ASSUMPTION = "each client host's clock is read against the orchestrator's just before each load (the server host's at connect), from the shortest of 5 round trips, so each offset is wrong by at most half its round trip; a clock is assumed not to drift during one load; no clock is assumed synchronised"

/** How long a host may take to start its control side and answer hello and the clock. */
export const CONNECT_MS = 30_000

/** Connects every host at once, each role's replies checked against `replies`; if any fails, the others are closed and the first failure is thrown. */
export async function connectHosts (o: { serverVia: string | null, clientVia: readonly string[], remoteCommand: string | null, handler: string | null }, replies: Record<ControlRole, RemoteReplies>, signal?: AbortSignal): Promise<RunHosts> {
  const server: Array<[string, ControlRole]> = o.serverVia === null ? [] : [[o.serverVia, 'server']]
  const wanted: Array<[string, ControlRole]> = [...server, ...o.clientVia.map((v): [string, ControlRole] => [v, 'load'])]
  const settled = await Promise.allSettled(wanted.map(([via, role]) => RemoteHost.connect(via, role, { remoteCommand: o.remoteCommand, handler: o.handler, replies: replies[role] }, CONNECT_MS, signal)))
  const hosts = settled.flatMap(s => s.status === 'fulfilled' ? [s.value] : [])
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (failed !== undefined) {
    await Promise.all(hosts.map(h => h.close(1000)))
    throw failed.reason
  }
  return {
    ...(o.serverVia === null ? {} : { server: hosts.find(x => x.role === 'server') }),
    clients: hosts.filter(h => h.role === 'load')
  }
}

/** Closes every host: each remote side ends what it started and exits. */
export async function closeHosts (h: RunHosts): Promise<void> {
  await Promise.all([h.server, ...h.clients].map(x => x?.close()))
}

/** What a cell records of its hosts, with what its client hosts did in its measured load. */
export function hostsRecord (h: RunHosts, clients: readonly ClientHostRecord[]): HostsRecord {
  const all = [h.server, ...h.clients].flatMap(x => x === undefined ? [] : [x.clock])
  const starts = clients.map(c => c.startedAfterMs)
  return {
    ...(h.server === undefined ? {} : { server: h.server.record() }),
    clients: [...clients],
    clock: {
      assumption: CLOCK_ASSUMPTION,
      largestOffsetMs: round(Math.max(0, ...all.map(c => Math.abs(c.offsetMs)))),
      largestRttMs: round(Math.max(0, ...all.map(c => c.rttMs))),
      startSpreadMs: starts.length === 0 ? 0 : round(Math.max(...starts) - Math.min(...starts))
    }
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000
