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
}

export const TCP_WORDS: Words = { rate: 'req/s', requests: 'requests', connections: 'connections', accepts: 'accepts', spread: 'accepts' }
export const UDP_WORDS: Words = { rate: 'datagrams/s', requests: 'datagrams', connections: 'flows', accepts: 'flows', spread: 'datagrams' }

/** The words of a run record. */
export function wordsOf (r: Pick<ModeRun, 'client'>): Words {
  return r.client.udp === undefined ? TCP_WORDS : UDP_WORDS
}

/** The words of several records shown together: UDP's when every one is UDP. */
export function wordsOfAll (runs: ReadonlyArray<Pick<ModeRun, 'client'>>): Words {
  return runs.length > 0 && runs.every(r => r.client.udp !== undefined) ? UDP_WORDS : TCP_WORDS
}
