/**
 * Who receives a UDP datagram on a shared port, asked of this kernel: the tries run in a child in a network
 * namespace of its own (workers/udp-delivery.ts, Linux, root); here they are started, bounded in time, set
 * against what the man pages in the article promise, and said in one sentence. FreeBSD's promise is
 * recorded as its man page's alone unless this host is FreeBSD.
 */
import { fileURLToPath } from 'node:url'
import { PhaseTimeoutError } from '../errors.js'
import { ProtocolChannel } from '../ipc/protocol.js'
import { spawnTracked } from '../proc/children.js'
import { netnsUnavailable } from '../proc/netns.js'
import type { DatagramDeliveryProtocol, DatagramDeliveryRequest } from '../types/agent.js'
import type { DatagramDelivery, DatagramDeliveryRow } from '../types/probe.js'
import { DELIVERY_NET } from './deliveryTry.js'
import { DATAGRAM_DELIVERY_REPLIES } from './replies.js'

const WORKER = fileURLToPath(new URL('../../workers/udp-delivery.js', import.meta.url))

/** Why it cannot run here, in one line; undefined when it can. */
export function datagramDeliveryUnavailable (): string | undefined {
  return netnsUnavailable()
}

const LINUX_WORDS = 'SO_REUSEPORT "can be employed with both TCP and UDP sockets"; for UDP it gives "better distribution of incoming datagrams to multiple processes"'
const FREEBSD_WORDS = 'SO_REUSEPORT "permits multiple instances of a program to each receive UDP/IP multicast or broadcast datagrams destined for the bound port"'

const rowOf = (rows: readonly DatagramDeliveryRow[], option: DatagramDeliveryRow['option'], cast: DatagramDeliveryRow['cast']): DatagramDeliveryRow | undefined => rows.find(r => r.option === option && r.cast === cast)
const reached = (r: DatagramDeliveryRow | undefined): number => r?.received.filter(n => n > 0).length ?? 0

/** Linux's promise holds when the unicast datagrams each reached one socket and more than one socket got some. */
function spreads (r: DatagramDeliveryRow | undefined): boolean {
  return r !== undefined && r.received.reduce((a, b) => a + b, 0) === r.sent && reached(r) > 1
}

/** Each socket receives its own copy of every broadcast and multicast datagram. */
function everyCopy (rows: readonly DatagramDeliveryRow[]): boolean {
  return (['broadcast', 'multicast'] as const).every(cast => { const r = rowOf(rows, 'SO_REUSEPORT', cast); return r !== undefined && r.received.every(n => n === r.sent) })
}

/** The man pages' promises, each judged by these rows where this host runs its OS, and labelled its man page's alone elsewhere. */
export function claimsOf (rows: readonly DatagramDeliveryRow[], platform: string): DatagramDelivery['claims'] {
  const judged = (os: 'linux' | 'freebsd', holds: boolean): DatagramDelivery['claims'][number]['here'] => platform !== os ? "man page only (not this host's OS)" : holds ? 'holds' : 'does not hold'
  return [
    { os: 'linux', words: LINUX_WORDS, source: 'socket(7)', here: judged('linux', spreads(rowOf(rows, 'SO_REUSEPORT', 'unicast'))) },
    { os: 'freebsd', words: FREEBSD_WORDS, source: 'FreeBSD setsockopt(2)', here: judged('freebsd', everyCopy(rows)) }
  ]
}

export function sentenceOf (rows: readonly DatagramDeliveryRow[], sockets: number): string {
  const part = (option: DatagramDeliveryRow['option']): string => {
    const u = rowOf(rows, option, 'unicast')
    const copies = (['broadcast', 'multicast'] as const).map(cast => `the ${cast} reached ${reached(rowOf(rows, option, cast))} of ${sockets}`).join(', ')
    return `with ${option} on every socket, ${u?.sent ?? 0} unicast datagrams (each from its own 4-tuple) went ${u?.received.join('/') ?? '-'}; ${copies}`
  }
  return `In a network namespace of its own, ${sockets} UDP sockets bound to one wildcard port and joined to ${DELIVERY_NET.group}: ${part('SO_REUSEPORT')}; ${part('SO_REUSEADDR')}.`
}

/** The tries, and what they say of the man pages' promises. */
export async function datagramDelivery (o: { sockets?: number, unicast?: number, waitMs?: number, deadlineScale?: number } = {}): Promise<DatagramDelivery> {
  const req: DatagramDeliveryRequest = { sockets: o.sockets ?? 3, unicast: o.unicast ?? 30, waitMs: o.waitMs ?? 200 }
  const child = spawnTracked('unshare', ['--net', '--', process.execPath, WORKER], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
  const channel = new ProtocolChannel<DatagramDeliveryProtocol>(child, 'the datagram-delivery tries').checkReplies(DATAGRAM_DELIVERY_REPLIES)
  const deadlineMs = (15_000 + 6 * req.waitMs + req.unicast * 200) * (o.deadlineScale ?? 1)
  try {
    const rows = await channel.ask('deliver', req, {
      timeoutMs: deadlineMs,
      onTimeout: () => new PhaseTimeoutError('datagram delivery', 'the tries in their own namespace', deadlineMs, `pid ${String(child.pid)} did not finish`)
    })
    return { sockets: req.sockets, address: DELIVERY_NET.address, group: DELIVERY_NET.group, rows, claims: claimsOf(rows, process.platform), sentence: sentenceOf(rows, req.sockets) }
  } finally {
    await channel.close()
  }
}
