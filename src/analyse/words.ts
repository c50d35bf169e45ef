/**
 * The words a record's figures are shown in: a TCP run's requests, connections and req/s, a UDP run's
 * datagrams, flows and datagrams/s (a flow is a client socket, its own 4-tuple). Read from the record
 * itself (a UDP client reports what it saw of its datagrams), so older results read as they always did.
 */
import type { ModeRun } from '../types/run.js'

export interface Words {
  /** 'req/s' or 'datagrams/s'. */
  rate: string
  /** 'requests' or 'datagrams'. */
  requests: string
  /** 'connections' or 'flows'. */
  connections: string
  /** What a listener counts of them: 'accepts' or 'flows'. */
  accepts: string
  /** What the spread that ranks a cell counts (analyse/listenerFigures.ts spreadOf): 'accepts' or 'datagrams'. */
  spread: string
  /** One of the requests: 'request' or 'datagram'. */
  request: string
  /** The rate written out, for a chart's axis: 'requests/s' or 'datagrams/s'. */
  perSecond: string
  /** Whose words: TCP's, of which what is published speaks, or UDP's. */
  protocol: 'tcp' | 'udp'
}

export const TCP_WORDS: Words = { rate: 'req/s', requests: 'requests', connections: 'connections', accepts: 'accepts', spread: 'accepts', request: 'request', perSecond: 'requests/s', protocol: 'tcp' }
export const UDP_WORDS: Words = { rate: 'datagrams/s', requests: 'datagrams', connections: 'flows', accepts: 'flows', spread: 'datagrams', request: 'datagram', perSecond: 'datagrams/s', protocol: 'udp' }

/** Whether a record is of a UDP load: its client saw datagrams, or (a load from outside, serve) its listeners did. */
export const isUdp = (r: { client: { udp?: unknown }, listeners: ReadonlyArray<{ udp?: unknown }> }): boolean => r.client.udp !== undefined || r.listeners.some(l => l.udp !== undefined)

/** The words of a run record. */
export function wordsOf (r: Pick<ModeRun, 'client' | 'listeners'>): Words {
  return isUdp(r) ? UDP_WORDS : TCP_WORDS
}

/** The words of several records shown together: UDP's when every one is UDP. */
export function wordsOfAll (runs: ReadonlyArray<Pick<ModeRun, 'client' | 'listeners'>>): Words {
  return runs.length > 0 && runs.every(isUdp) ? UDP_WORDS : TCP_WORDS
}
