/**
 * A load split over worker threads (--client-threads K): each thread runs the
 * load driver on its share of the connections and of the rate, with its own
 * per-response timing and attribution (workers/loadgen-thread.ts); their
 * results are merged exactly (load/merge.ts), with the CPU of the whole
 * process over the load.
 */
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { RunError } from '../errors.js'
import { allowedHere, threadCpus } from '../proc/pinning.js'
import { mergeLoadResults, shares } from './merge.js'
import { SATURATION_SHARE } from '../types/load.js'
import type { LoadResult, LoadSpec } from '../types/load.js'
import { childExecArgv } from '../proc/node.js'

const THREAD = fileURLToPath(new URL('../../workers/loadgen-thread.js', import.meta.url))

/** What a thread is given, and what it says. */
export interface ThreadData { spec: LoadSpec, sourceAddresses: string[], /** The CPUs it pins itself to; none: left as the process is. */ cpus: number[] }
export type ThreadMessage = { type: 'tick', responses: number } | { type: 'done', result: LoadResult } | { type: 'error', message: string }

/** The specs of `threads` threads: connections and rate shared out, each thread one. */
export function threadSpecs (spec: LoadSpec, threads: number): LoadSpec[] {
  const conns = shares(spec.connections, threads)
  const rates = spec.rate > 0 ? shares(spec.rate, threads) : conns.map(() => 0)
  return conns.map((connections, i) => ({ ...spec, connections, rate: rates[i] ?? 0, threads: 1 }))
}

export async function runThreaded (spec: LoadSpec, sourceAddresses: string[], onTick: (elapsedSec: number, responses: number) => void): Promise<LoadResult> {
  const threads = Math.max(1, spec.threads ?? 1)
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const counts = new Array<number>(threads).fill(0)
  // The threads spread over the CPUs this process may use, one each in turn.
  const cpus = allowedHere()
  const workers = threadSpecs(spec, threads).map((s, i) => new Worker(THREAD, { workerData: { spec: s, sourceAddresses, cpus: threadCpus(i, cpus) } satisfies ThreadData, execArgv: childExecArgv() }))
  const ticker = setInterval(() => onTick(Number(process.hrtime.bigint() - t0) / 1e9, counts.reduce((a, b) => a + b, 0)), 1000)
  try {
    const parts = await Promise.all(workers.map((w, i) => new Promise<LoadResult>((resolve, reject) => {
      w.on('message', (m: ThreadMessage) => {
        if (m.type === 'tick') counts[i] = m.responses
        else if (m.type === 'done') resolve(m.result)
        else reject(new RunError('RB_LOAD_FAILED', `client thread ${i}: ${m.message}`))
      })
      w.on('error', err => reject(new RunError('RB_LOAD_FAILED', `client thread ${i}: ${err.message}`, { cause: err })))
      w.on('exit', code => reject(new RunError('RB_LOAD_FAILED', `client thread ${i} exited (code ${code}) before its result`)))
    })))
    const wallUs = Number(process.hrtime.bigint() - t0) / 1000
    const used = process.cpuUsage(cpu0)
    const coreShare = (used.user + used.system) / wallUs
    // Each thread can use one core; the process only the CPUs it may run on.
    const capacity = Math.min(threads, os.availableParallelism())
    return mergeLoadResults(parts, { userMs: Math.round(used.user / 1000), systemMs: Math.round(used.system / 1000), wallMs: Math.round(wallUs / 1000), coreShare: Math.round(coreShare * 1000) / 1000, saturated: coreShare >= SATURATION_SHARE * capacity, loopUtilization: parts.flatMap(p => p.cpu.loopUtilization ?? []), placement: parts.flatMap(p => p.cpu.placement ?? []) })
  } finally {
    clearInterval(ticker)
    await Promise.all(workers.map(w => w.terminate()))
  }
}
