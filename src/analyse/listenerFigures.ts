/**
 * What a cell's record says of its listeners taken together: their merged server time, their memory,
 * and how evenly accepts and requests spread (fairness, and accepts against random placement).
 */
import { mergeEncoded } from '../collect/histogram.js'
import { memoryOf } from '../collect/listeners.js'
import type { ListenerResult, ModeRun } from '../types/run.js'
import { fairness } from './fairness.js'
import { placementTest } from './placement.js'
import { isUdp } from './words.js'

/** Whether each connection (UDP flow) of a load went to one listener: not where processes read one UDP socket, whose flows' datagrams go to whoever reads first. */
export function flowsPlaced (client: { udp?: { splitFlows: number } }): boolean {
  return (client.udp?.splitFlows ?? 0) === 0
}

/** The spread that ranks a cell: of its accepts, or a UDP cell's of its datagrams, in every mode alike (a flow is not placed where one socket is shared). */
export function spreadOf<F> (r: { client: { udp?: unknown }, listeners: ReadonlyArray<{ udp?: unknown }>, fairness: F, requestFairness: F }): F {
  return isUdp(r) ? r.requestFairness : r.fairness
}

/**
 * What a cell's record says of its listeners taken together: merged server time, memory, and how evenly accepts
 * and requests spread. `placed`: each connection (UDP flow) went to one listener, so the accepts can be set
 * against random placement; a UDP flow whose datagrams several processes read from one socket was not placed.
 */
export function listenerFigures (listeners: readonly ListenerResult[], seed: number, placed = true): Pick<ModeRun, 'listeners' | 'memory' | 'serverLatencyUs' | 'serverHistogram' | 'fairness' | 'requestFairness' | 'placement'> {
  const server = mergeEncoded(listeners.map(l => l.histogram))
  return {
    listeners: [...listeners],
    memory: memoryOf(listeners),
    serverLatencyUs: server.summary,
    serverHistogram: server.encoded,
    fairness: fairness(listeners.map(l => l.accepts)),
    requestFairness: fairness(listeners.map(l => l.requests)),
    ...(placed ? { placement: placementTest(listeners.map(l => l.accepts), seed) } : {})
  }
}
