/**
 * The host's speed around each cell's measured load: a fixed loop of integer
 * work, pinned to each CPU the run uses in turn, timed just before the load
 * and just after it (never during it). A
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

/** One CPU's calibration: the best of the loop's repeats there, before and after the load. */
export interface CpuSpeed { cpu: number, beforeMs: number, afterMs: number }

/**
 * The calibrations of a cell: `cpu`, `beforeMs`, `afterMs` and `ratio` are those of the CPU whose speed moved
 * most (results written before `perCpu` existed timed one CPU); `perCpu` holds every CPU's.
 */
export interface HostSpeed {
  cpu: number
  /** Iterations of the loop, the same everywhere, so that times compare across cells and results. */
  iterations: number
  beforeMs: number
  afterMs: number
  /** afterMs / beforeMs: above 1, the host was slower after the load than before it. */
  ratio: number
  perCpu?: CpuSpeed[]
}

/**
 * The loop's size (about 0.65 ms on this 2-vCPU VM) and its repeats (the fastest counts: interruptions only
 * add): about 6 ms per CPU. Timed 60 times back to back on a quiet host, best of 5, the ratio of one
 * calibration to the next stayed within 0.97-1.02 in 90% of cases (at most 1.044); 2M iterations, best of 2,
 * spread to 0.91-1.10. Between slices, beside idle listeners, best of 5 still moved up to 15%.
 */
export const ITERATIONS = 500_000
const REPEATS = 9

/**
 * A calibration taken at the end of one load serves as the next load's "before" when that comes within this
 * long (slices side by side follow each other by about 0.3 s): one calibration per slice, about 12 ms on two
 * CPUs, about 1% of a 1 s slice.
 */
const REUSE_MS = 1500
const lastTimed = new Map<number, { ms: number, at: number }>()

/** The loop's time on `cpu` now, or the one taken there within REUSE_MS. */
function timedBefore (cpu: number, own: number[]): number {
  const last = lastTimed.get(cpu)
  if (last !== undefined && performance.now() - last.at <= REUSE_MS) return last.ms
  return calibrate(cpu, own)
}

function timedAfter (cpu: number, own: number[]): number {
  const ms = calibrate(cpu, own)
  lastTimed.set(cpu, { ms, at: performance.now() })
  return ms
}
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
  return typeof v === 'object' && v !== null && [h.cpu, h.iterations, h.beforeMs, h.afterMs, h.ratio].every(x => typeof x === 'number' && Number.isFinite(x)) &&
    (h.perCpu === undefined || (Array.isArray(h.perCpu) && h.perCpu.every(c => [c.cpu, c.beforeMs, c.afterMs].every(x => typeof x === 'number' && Number.isFinite(x)))))
}

/** How far a CPU's speed moved across the cell, either way: |log(after/before)|. */
const moved = (c: CpuSpeed): number => Math.abs(Math.log(c.afterMs / c.beforeMs))

/** The record from every CPU's timings: the headline fields are those of the CPU that moved most (pure). */
export function hostSpeedOf (perCpu: readonly CpuSpeed[], iterations = ITERATIONS): HostSpeed | null {
  const rounded = perCpu.map(c => ({ cpu: c.cpu, beforeMs: round(c.beforeMs), afterMs: round(c.afterMs) }))
  const worst = [...rounded].sort((a, b) => moved(b) - moved(a))[0]
  if (worst === undefined) return null
  return { cpu: worst.cpu, iterations, beforeMs: worst.beforeMs, afterMs: worst.afterMs, ratio: round(worst.afterMs / worst.beforeMs), perCpu: rounded }
}

function present (h: HostSpeed): Presentation {
  const drift = h.ratio >= DRIFT_WARN || h.ratio <= 1 / DRIFT_WARN
  const where = (h.perCpu?.length ?? 1) > 1 ? `on CPU ${h.cpu} (of ${h.perCpu?.map(c => c.cpu).join(',') ?? ''}, the one that moved most)` : `on CPU ${h.cpu}`
  const line = `host speed: a fixed loop ${where} took ${num(h.beforeMs, 2)} ms before the load and ${num(h.afterMs, 2)} ms after it (after/before ${num(h.ratio, 2)})`
  return { lines: [drift ? `${line}; warning: the host's speed moved by more than ${Math.round((DRIFT_WARN - 1) * 100)}% across this cell, so its figures may not compare with the other cells'` : line] }
}

export const hostSpeedSampler: Sampler<HostSpeed> = {
  name: 'hostSpeed',
  description: 'the host\'s speed just before and just after each measured load: a fixed loop pinned to each CPU the run uses (all this process may use, when not pinned), the fastest of 9 timings each (the previous load\'s last timing serves as the next one\'s first when it follows within 1.5 s)',
  scope: 'cell',
  is: isHostSpeed,
  present,
  begin: target => {
    let own: number[]
    try {
      own = allowedCpus(0)
    } catch {
      return () => null // no affinity on this OS: nothing to pin, nothing said
    }
    const cpus = (target.cpus ?? own).filter(c => own.includes(c))
    if (cpus.length === 0) return () => null
    const before = cpus.map(cpu => timedBefore(cpu, own))
    return () => hostSpeedOf(cpus.map((cpu, i) => ({ cpu, beforeMs: before[i] ?? 0, afterMs: timedAfter(cpu, own) })))
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000
