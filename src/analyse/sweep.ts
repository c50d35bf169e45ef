/**
 * Sweeps and trials: one cell per (mode, workers, connections), with the
 * median of its trials and a 95% bootstrap interval for throughput, p99 and
 * fairness. The work is spread over a piscina pool (workers/analysis.ts).
 */
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import type { SweepCell } from '../types/docs.js'
import { childExecArgv } from '../proc/node.js'
import { flowsPlaced, spreadOf } from './listenerFigures.js'

export interface SweepTask {
  mode: string
  workers: number
  connections: number
  trials: Array<{ rps: number, p99Ms: number, jain: number, clientHistogram: string, accepts: number[], memory?: { rssBytes: number, processes: number } }>
  resamples: number
  seed: number
}

export interface SweepRun {
  mode: string
  workers: number
  load: { connections: number }
  client: { rps: number, latencyMs: { p99: number }, histogram: string, udp?: { splitFlows: number } }
  fairness: { jain: number | null }
  requestFairness: { jain: number | null }
  listeners: ReadonlyArray<{ accepts: number, udp?: unknown }>
  memory?: { rssBytes: number, processes: number }
}

/** Groups runs into cells (in a stable order: mode, workers, connections). */
export function sweepTasks (runs: readonly SweepRun[], resamples = 5000, seed = 1): SweepTask[] {
  const byKey = new Map<string, SweepTask>()
  for (const r of runs) {
    const key = `${r.mode}|${r.workers}|${r.load.connections}`
    let t = byKey.get(key)
    if (t === undefined) {
      t = { mode: r.mode, workers: r.workers, connections: r.load.connections, trials: [], resamples, seed }
      byKey.set(key, t)
    }
    // A UDP run's spread is its datagrams' (as in its headline); its flows are set against placement only where each was kept to one listener.
    const jain = spreadOf(r).jain
    const accepts = flowsPlaced(r.client) ? r.listeners.map(l => l.accepts) : []
    t.trials.push({ rps: r.client.rps, p99Ms: r.client.latencyMs.p99, jain: jain ?? 0, clientHistogram: r.client.histogram, accepts, ...(r.memory === undefined ? {} : { memory: r.memory }) })
  }
  return [...byKey.values()].sort((a, b) => a.mode.localeCompare(b.mode) || a.workers - b.workers || a.connections - b.connections)
}

/** Analyses every cell on a piscina pool sized to the machine. */
export async function analyseSweep (runs: readonly SweepRun[], seed = 1): Promise<SweepCell[]> {
  const tasks = sweepTasks(runs, 5000, seed)
  const { Piscina } = await import('piscina')
  const pool = new Piscina({
    filename: fileURLToPath(new URL('../../workers/analysis.js', import.meta.url)),
    maxThreads: Math.max(1, Math.min(os.availableParallelism(), tasks.length)),
    execArgv: childExecArgv()
  })
  try {
    return await Promise.all(tasks.map(t => pool.run(t) as Promise<SweepCell>))
  } finally {
    await pool.destroy()
  }
}
