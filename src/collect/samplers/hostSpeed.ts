/**
 * The host's speed around each cell's measured load: a fixed loop of integer
 * work, pinned to one CPU, timed just before the load and just after it. A
 * virtual machine whose CPU speed drifts (this one's has moved 2x within a
 * minute) shows it here: a cell whose loop took much longer after than before
 * ran on a slower machine than the one it is compared with. The loop runs on
 * the orchestrator's main thread, which is pinned for the few milliseconds it
 * takes and then given back every CPU it had; no process is started meanwhile.
 */
import { allowedCpus, pinThread } from '../../native/index.js'
import { num } from '../../numbers.js'
import type { Presentation } from '../../types/presentation.js'
import type { Sampler } from './sampler.js'

/** One calibration: the CPU the loop ran on and the best of its repeats, before and after the load. */
export interface HostSpeed {
  cpu: number
  /** Iterations of the loop, the same everywhere, so that times compare across cells and results. */
  iterations: number
  beforeMs: number
  afterMs: number
  /** afterMs / beforeMs: above 1, the host was slower after the load than before it. */
  ratio: number
}

/** The loop's size (about 5 ms on this 2-vCPU VM), its repeats (the fastest counts: interruptions only add). */
export const ITERATIONS = 4_000_000
const REPEATS = 3
/** A drift beyond this (after/before) is said as a warning. */
export const DRIFT_WARN = 1.1

/** Where the loop's result goes, so the JIT cannot drop the loop as dead code. */
let sink = 0

/** Integer work the JIT cannot fold away (a linear congruential generator), timed; returns ms. */
export function timeLoop (iterations: number): number {
  let x = sink | 1
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  sink = x
  return ms
}

/** The fastest of REPEATS timings of the loop on `cpu`, the thread's own CPUs given back afterwards. */
function calibrate (cpu: number, own: number[]): number {
  pinThread([cpu])
  try {
    let best = Infinity
    for (let r = 0; r < REPEATS; r++) best = Math.min(best, timeLoop(ITERATIONS))
    return best
  } finally {
    pinThread(own)
  }
}

const isHostSpeed = (v: unknown): v is HostSpeed => {
  const h = v as HostSpeed
  return typeof v === 'object' && v !== null && [h.cpu, h.iterations, h.beforeMs, h.afterMs, h.ratio].every(x => typeof x === 'number' && Number.isFinite(x))
}

function present (h: HostSpeed): Presentation {
  const drift = h.ratio >= DRIFT_WARN || h.ratio <= 1 / DRIFT_WARN
  const line = `host speed: a fixed loop on CPU ${h.cpu} took ${num(h.beforeMs, 2)} ms before the load and ${num(h.afterMs, 2)} ms after it (after/before ${num(h.ratio, 2)})`
  return { lines: [drift ? `${line}; warning: the host's speed moved by more than ${Math.round((DRIFT_WARN - 1) * 100)}% across this cell, so its figures may not compare with the other cells'` : line] }
}

export const hostSpeedSampler: Sampler<HostSpeed> = {
  name: 'hostSpeed',
  description: 'the host\'s speed just before and just after each measured load: a fixed loop pinned to one CPU (the last this process may use), the fastest of 3 timings each',
  scope: 'cell',
  is: isHostSpeed,
  present,
  begin: () => {
    let own: number[]
    try {
      own = allowedCpus(0)
    } catch {
      return () => null // no affinity on this OS: nothing to pin, nothing said
    }
    const cpu = own[own.length - 1]
    if (cpu === undefined) return () => null
    const beforeMs = calibrate(cpu, own)
    return () => {
      const afterMs = calibrate(cpu, own)
      return { cpu, iterations: ITERATIONS, beforeMs: round(beforeMs), afterMs: round(afterMs), ratio: round(afterMs / beforeMs) }
    }
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000
