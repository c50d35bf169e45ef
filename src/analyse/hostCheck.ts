/**
 * The host as part of the measurement: from each cell's (or slice's) host
 * samples, whether its host held still. A cell whose CPU speed moved more
 * than 10% across its load, or whose CPUs lost more than 5% to other
 * processes or to steal, is unstable; the whole round (the trial of its
 * configuration, which pairs its modes) is left out of ratios, and the
 * verdict says how many were and why. Pure: the figures come in, sentences
 * and the rounds to keep go out.
 */
import { contentionSampler, FOREIGN_WARN } from '../collect/samplers/contention.js'
import type { Contention } from '../collect/samplers/contention.js'
import { hostSpeedSampler } from '../collect/samplers/hostSpeed.js'
import type { HostSpeed } from '../collect/samplers/hostSpeed.js'
import type { HostCheck, LeftOutRound } from '../types/docs.js'
import type { ModeRun } from '../types/run.js'

/** A cell whose CPU speed moved more than this share across its load is unstable. */
export const SPEED_TOLERANCE = 0.1

/** What the host check reads of a run. */
export interface HostRun {
  mode: string
  workers: number
  connections: number
  trial: number
  hostSpeed?: HostSpeed
  contention?: Contention
}

/** The speed after the load against before it, less 1: a loop that took longer after means a slower host (negative). */
const speedChange = (s: { beforeMs: number, afterMs: number }): number => s.beforeMs / s.afterMs - 1

/** What the host check reads of a run: its cell, and its host samples where they have their sampler's shape. */
export function hostRunOf (run: ModeRun): HostRun & { run: ModeRun } {
  const speed = run.samples?.hostSpeed
  const contention = run.samples?.contention
  return {
    mode: run.mode,
    workers: run.workers,
    connections: run.load.connections,
    trial: run.trial,
    ...(hostSpeedSampler.is(speed) ? { hostSpeed: speed } : {}),
    ...(contentionSampler.is(contention) ? { contention } : {}),
    run
  }
}

const pc = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`

/** Why a cell is unstable: its speed moved, or other processes (or steal) took its CPUs; empty when it held still. */
export function unstableBecause (r: HostRun): string[] {
  const out: string[] = []
  const s = r.hostSpeed
  if (s !== undefined) {
    const speed = speedChange(s)
    if (Math.abs(speed) > SPEED_TOLERANCE + 1e-9) out.push(`host speed ${speed < 0 ? 'fell' : 'rose'} ${pc(Math.abs(speed))} on CPU ${s.cpu}`)
  }
  const c = r.contention
  if (c !== undefined && c.foreignShare > FOREIGN_WARN) out.push(`other processes took ${pc(c.foreignShare)} of CPU${c.cpus.length === 1 ? '' : 's'} ${c.cpus.join(',')}`)
  if (c !== undefined && c.stealShare > FOREIGN_WARN) out.push(`steal took ${pc(c.stealShare)}`)
  return out
}

const key = (r: { workers: number, connections: number, trial: number }): string => `${r.workers}|${r.connections}|${r.trial}`

/**
 * The rounds (a configuration's trial) with an unstable cell, with their reasons; and the runs of the others,
 * which ratios may use.
 */
export function leaveOutUnstable<R extends HostRun> (runs: readonly R[]): { kept: R[], leftOut: LeftOutRound[] } {
  const bad = new Map<string, LeftOutRound>()
  for (const r of runs) {
    const why = unstableBecause(r)
    if (why.length === 0) continue
    const k = key(r)
    const round = bad.get(k) ?? { workers: r.workers, connections: r.connections, trial: r.trial, reasons: [] }
    round.reasons.push(...why.map(w => `${r.mode}: ${w}`))
    bad.set(k, round)
  }
  return { kept: runs.filter(r => !bad.has(key(r))), leftOut: [...bad.values()].sort((a, b) => a.trial - b.trial) }
}

/** Every CPU's loop time before each cell, against the first cell's on that CPU: how far the host's speed drifted over the run. */
function drift (runs: readonly HostRun[]): number | null {
  const first = new Map<number, number>()
  let most: number | null = null
  for (const r of runs) {
    for (const c of r.hostSpeed?.perCpu ?? (r.hostSpeed === undefined ? [] : [r.hostSpeed])) {
      const ref = first.get(c.cpu)
      if (ref === undefined) { first.set(c.cpu, c.beforeMs); continue }
      const d = Math.abs(speedChange({ beforeMs: ref, afterMs: c.beforeMs }))
      most = Math.max(most ?? 0, d)
    }
  }
  return most
}

/** The check over a run's cells, and the sentence every comparison carries ("host speed steady within 4%; ..."). */
export function hostCheckOf (runs: readonly HostRun[], unit: 'round' | 'trial', keep = false): HostCheck {
  const { leftOut } = leaveOutUnstable(runs)
  const rounds = new Set(runs.map(key)).size
  const moved = runs.flatMap(r => r.hostSpeed === undefined ? [] : [Math.abs(speedChange(r.hostSpeed))])
  const foreign = runs.flatMap(r => r.contention === undefined ? [] : [r.contention.foreignShare])
  const steal = runs.flatMap(r => r.contention === undefined ? [] : [r.contention.stealShare])
  const check: HostCheck = {
    unit,
    rounds,
    leftOut,
    speedMovedMax: moved.length === 0 ? null : Math.max(...moved),
    speedDrift: drift(runs),
    foreignMean: foreign.length === 0 ? null : foreign.reduce((a, b) => a + b, 0) / foreign.length,
    foreignMax: foreign.length === 0 ? null : Math.max(...foreign),
    stealMax: steal.length === 0 ? null : Math.max(...steal),
    kept: keep,
    statement: ''
  }
  check.statement = hostStatement(check)
  return check
}

/** "host speed steady within 4% (drifted 12% over the run); other processes used 0.3% of the run's CPUs" or what was left out. */
export function hostStatement (c: HostCheck): string {
  if (c.speedMovedMax === null && c.foreignMean === null) return 'The host was not checked (no calibration or /proc/stat on this OS): drift in its speed cannot be ruled out.'
  const each = c.unit === 'round' ? 'slice' : 'cell'
  const parts: string[] = []
  // When rounds were left out, the head names the first reason instead of a "steady within" that would not hold.
  if (c.leftOut.length > 0) {
    const first = c.leftOut[0]
    const where = `${first?.reasons[0] ?? ''} during ${c.unit} ${first?.trial ?? ''}${c.leftOut.length > 1 ? ' (and others)' : ''}`
    parts.push(where, `${c.leftOut.length} of ${c.rounds} ${c.unit}s ${c.kept === true ? 'unstable, kept in ratios (--unstable keep)' : 'left out of ratios'}`)
  } else if (c.speedMovedMax !== null) {
    parts.push(`host speed steady within ${pc(c.speedMovedMax)} across each ${each}`)
  }
  if (c.speedDrift !== null && c.speedDrift > SPEED_TOLERANCE) parts.push(`it drifted ${pc(c.speedDrift)} over the run (paired ${c.unit}s cancel slow drift)`)
  if (c.foreignMean !== null && c.foreignMax !== null) parts.push(`other processes used ${pc(c.foreignMean)} of the run's CPUs (at most ${pc(c.foreignMax)} in one ${each})${c.stealMax !== null && c.stealMax > 0 ? `, steal at most ${pc(c.stealMax)}` : ''}`)
  return `Host: ${parts.join('; ')}.`
}
