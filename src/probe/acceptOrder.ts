/**
 * Which listener accepts each of K sequential connections (one at a time, each
 * closed before the next), read from the x-worker response header. undici is
 * the precise client: one Client per connection, closed after its response.
 * Reproduces the published 3 workers / 6 connections experiment for our modes
 * and shows how reuseport's hash spreads many connections.
 */
import { availableParallelism } from 'node:os'
import type { Client } from 'undici'
import { startDeadlineMs } from '../topology/startDeadline.js'
import { fairness } from '../analyse/fairness.js'
import { ListenerGroup } from '../topology/group.js'
import type { Mode } from '../types/plan.js'
import type { AcceptOrder, ProbeListeners } from '../types/probe.js'

async function oneConnection (Undici: typeof Client, origin: string): Promise<number> {
  const client = new Undici(origin, { pipelining: 1 })
  try {
    const res = await client.request({ path: '/', method: 'GET' })
    await res.body.text()
    const w = res.headers['x-worker']
    return Number(Array.isArray(w) ? w[0] : w)
  } finally {
    await client.close()
  }
}

/** The order of `mode`'s group of `workers` on `host`, started on what the session resolved (`on`). */
export async function acceptOrder (mode: Mode, workers: number, sequenceLength: number, total: number, host: string, on: ProbeListeners, deadlineScale = 1): Promise<AcceptOrder> {
  const group = await ListenerGroup.start({ mode, workers, host, port: 0, backlog: on.backlog, instrument: true, node: on.node, ...(on.cpus === null ? {} : { cpus: on.cpus }) }, startDeadlineMs(workers, availableParallelism(), deadlineScale))
  try {
    const origin = `http://${host.includes(':') ? `[${host}]` : host}:${group.port}`
    const n = group.workers
    const counts = new Array<number>(n).fill(0)
    const sequence: number[] = []
    const { Client: Undici } = await import('undici')
    for (let i = 0; i < Math.max(sequenceLength, total); i++) {
      const w = await oneConnection(Undici, origin)
      if (i < sequenceLength) sequence.push(w)
      if (i < total && w >= 0 && w < n) counts[w] = (counts[w] ?? 0) + 1
    }
    return { mode, workers: n, sequence, counts, total, fairness: fairness(counts) }
  } finally {
    await group.stop(1000 * deadlineScale)
  }
}
