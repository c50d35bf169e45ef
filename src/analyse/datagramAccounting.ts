/**
 * Does a UDP load add up? The client's datagrams against the listeners' and their sockets' (the kernel's
 * drops): where each one went, and what explains the rest. A flow's datagrams reach one socket of a
 * SO_REUSEPORT group (its 4-tuple's hash), but every process reading one shared socket: so the flows are
 * matched as the client saw them answered, by flow and listener, not by the number of flows it opened.
 */
import type { LoadResult } from '../types/load.js'
import type { Accounting, DatagramAccounting, ListenerResult } from '../types/run.js'

type Client = Pick<LoadResult, 'sent' | 'responses' | 'timeouts' | 'udp'>

/** The kernel's drops over the listeners' sockets, each socket once (processes reading one socket report its drops alike); null when any cannot say. */
export function socketDrops (listeners: ReadonlyArray<Pick<ListenerResult, 'udp'>>): number | null {
  const bySocket = new Map<string, number>()
  for (const l of listeners) {
    const u = l.udp
    if (u === undefined || u.drops === null || u.socket === null) return null
    bySocket.set(u.socket, Math.max(bySocket.get(u.socket) ?? 0, u.drops))
  }
  return [...bySocket.values()].reduce((a, b) => a + b, 0)
}

/** Where the client's datagrams went. */
export function datagramsOf (client: Client, listeners: ReadonlyArray<Pick<ListenerResult, 'udp'>>): DatagramAccounting {
  const received = listeners.reduce((a, l) => a + (l.udp?.datagrams ?? 0), 0)
  const drops = socketDrops(listeners)
  const unanswered = client.udp?.unanswered ?? 0
  const notArrived = client.sent - received - (drops ?? 0)
  const ownSum = client.responses + client.timeouts + unanswered === client.sent
  const closes = ownSum && notArrived >= 0 && notArrived <= client.timeouts + unanswered && received >= client.responses
  return { sent: client.sent, answered: client.responses, lost: client.timeouts, unanswered, received, drops, notArrived, closes }
}

/** What is missing from the accounting, in words ('exact' when nothing is). */
function noteOf (d: DatagramAccounting, flowsSeen: number, flowsAnswered: number): string {
  const notes: string[] = []
  if (d.answered + d.lost + d.unanswered !== d.sent) notes.push(`the client's own figures do not add up: sent ${d.sent}, answered ${d.answered}, lost ${d.lost}, unanswered ${d.unanswered}`)
  if (d.notArrived < 0) notes.push(moreThanSent(d))
  else if (d.notArrived > d.lost + d.unanswered) notes.push(`${d.notArrived} datagrams neither reached a listener nor show in a socket's drops, more than the ${d.lost + d.unanswered} the client saw go unanswered`)
  else if (d.notArrived > 0) notes.push(`${d.notArrived} datagrams were on their way when the load ended, or lost before a socket (the client had ${d.unanswered} unanswered and ${d.lost} lost)`)
  if (d.drops === null) notes.push("the kernel's drops could not be read")
  else if (d.drops > 0) notes.push(`the listeners' sockets dropped ${d.drops} datagrams (full receive buffers)`)
  if (d.received > d.answered) notes.push(`${d.received - d.answered} answers did not reach the client in time`)
  if (flowsSeen !== flowsAnswered) notes.push(`the listeners saw ${flowsSeen} flow-listener pairs, the client ${flowsAnswered} in their answers`)
  return notes.length === 0 ? 'exact' : notes.join('; ')
}

/** The sentence for datagrams at the listeners that the client never sent (`notArrived` below 0). */
export function moreThanSent (d: Pick<DatagramAccounting, 'notArrived'>): string {
  return `the listeners received ${-d.notArrived} more datagrams than the client sent, less the drops: another sender on this port`
}

/**
 * Whether the flows add up: a listener is counted in a flow's answers only where it saw the flow, so the
 * listeners' flow-listener pairs are at least the client's, and at most that many more than the datagrams
 * they received whose answers did not reach the client in time (on a slow host a flow's only answers may
 * still be on their way at the stop). More than that is a sender this run does not know.
 */
export function flowsExplained (a: Pick<Accounting, 'listenerAccepts' | 'clientConnections' | 'datagrams'>): boolean {
  const d = a.datagrams
  if (d === undefined) return false
  const extra = a.listenerAccepts - a.clientConnections
  return extra >= 0 && extra <= Math.max(0, d.received - d.answered)
}

/** The accounting of a UDP load, in the fields every cell has: flows for connections, datagrams for requests. */
export function accountDatagrams (client: Client, listeners: ReadonlyArray<Pick<ListenerResult, 'accepts' | 'udp'>>): Accounting {
  const d = datagramsOf(client, listeners)
  const flowsSeen = listeners.reduce((a, l) => a + l.accepts, 0)
  const flowsAnswered = client.udp?.flowListeners ?? 0
  const requestDifference = d.received - d.answered
  return {
    clientConnections: flowsAnswered,
    listenerAccepts: flowsSeen,
    acceptsMatch: flowsSeen === flowsAnswered,
    clientResponses: d.answered,
    listenerRequests: d.received,
    requestDifference,
    // Every datagram where the identities put it, and the flows no more than the answers still on their way explain.
    explained: d.closes && requestDifference <= d.lost + d.unanswered && flowsExplained({ clientConnections: flowsAnswered, listenerAccepts: flowsSeen, datagrams: d }),
    note: noteOf(d, flowsSeen, flowsAnswered),
    datagrams: d
  }
}
