/**
 * A load split over worker threads (--client-threads K): each thread runs the
 * load driver on its share of the connections and of the rate, with its own
 * per-response timing and attribution (workers/loadgen-thread.ts); their
 * results are merged exactly (load/merge.ts), with the CPU of the whole
 * process over the load. Each thread is spoken to through the one
 * request/reply helper (LoadThreadProtocol), and its result is checked
 * against the load result's shape before it is merged.
 */
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { HarnessError, RunError } from '../errors.js'
import { ProtocolChannel } from '../ipc/protocol.js'
import type { ReplyShapes } from '../ipc/protocol.js'
import { threadWire } from '../ipc/wire.js'
import { allowedHere, threadCpus } from '../proc/pinning.js'
import { ThreadPeer } from '../proc/threadPeer.js'
import { mergeLoadResults, shares } from './merge.js'
import { LOAD_RESULT } from './resultShape.js'
import { SATURATION_SHARE } from '../types/load.js'
import type { LoadResult, LoadSpec, LoadThreadProtocol } from '../types/load.js'
import { childExecArgv } from '../proc/node.js'

const THREAD = fileURLToPath(new URL('../../workers/loadgen-thread.js', import.meta.url))

const REPLIES: ReplyShapes<LoadThreadProtocol> = { run: LOAD_RESULT }

/** A thread's own bound on its run, beyond the load itself: the load phase's deadline ends it sooner. */
const THREAD_BACKSTOP_MS = 120_000

/** The specs of `threads` threads: connections and rate shared out, each thread one. */
export function threadSpecs (spec: LoadSpec, threads: number): LoadSpec[] {
  const conns = shares(spec.connections, threads)
  const rates = spec.rate > 0 ? shares(spec.rate, threads) : conns.map(() => 0)
  return conns.map((connections, i) => ({ ...spec, connections, rate: rates[i] ?? 0, threads: 1 }))
}

/** Runs client thread `i` on its share; its ticks go to `onResponses`. */
async function runThread (i: number, request: LoadThreadProtocol['run']['request'], onResponses: (n: number) => void, threads: Worker[]): Promise<LoadResult> {
  const worker = new Worker(THREAD, { execArgv: childExecArgv() })
  threads.push(worker)
  const name = `client thread ${i}`
  const channel = new ProtocolChannel<LoadThreadProtocol>(new ThreadPeer(worker), name, threadWire(worker)).checkReplies(REPLIES)
  const timeoutMs = request.spec.durationSec * 1000 + THREAD_BACKSTOP_MS
  try {
    return await channel.ask('run', request, {
      timeoutMs,
      onTimeout: () => new RunError('RB_LOAD_FAILED', `${name} gave no result within ${timeoutMs / 1000} s`),
      onEvent: e => onResponses(e.responses)
    })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    throw new RunError(err instanceof HarnessError && err.code === 'RB_BAD_REPLY' ? 'RB_BAD_REPLY' : 'RB_LOAD_FAILED', message.startsWith(name) ? message : `${name}: ${message}`, { cause: err })
  }
}

export async function runThreaded (spec: LoadSpec, sourceAddresses: string[], onTick: (elapsedSec: number, responses: number) => void): Promise<LoadResult> {
  const threads = Math.max(1, spec.threads ?? 1)
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const counts = new Array<number>(threads).fill(0)
  // The threads spread over the CPUs this process may use, one each in turn.
  const cpus = allowedHere()
  const workers: Worker[] = []
  const ticker = setInterval(() => onTick(Number(process.hrtime.bigint() - t0) / 1e9, counts.reduce((a, b) => a + b, 0)), 1000)
  try {
    const parts = await Promise.all(threadSpecs(spec, threads).map(async (s, i) => await runThread(i, { spec: s, sourceAddresses, cpus: threadCpus(i, cpus) }, n => { counts[i] = n }, workers)))
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
