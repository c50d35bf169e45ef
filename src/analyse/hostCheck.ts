/**
 * The host as part of the measurement: from each cell's (or slice's) host
 * samples, whether its host held still within each round. What spoils a pair
 * is a change inside its round, not a level: a steady share of the CPUs taken
 * by other processes slows both halves of a pair alike and paired ratios
 * cancel it. So a round is left out of ratios when a CPU's speed moved more
 * than 10% within one of its slices or across them, or when the share other
 * processes (or a hypervisor's steal) took moved more than 15 points between
 * its slices; the verdict says how many were, why, and the steady level.
 * Pure: the figures come in, sentences and the rounds to keep go out.
 */
import { contentionSampler, FOREIGN_WARN } from '../collect/samplers/contention.js'
import type { Contention } from '../collect/samplers/contention.js'
import { hostSpeedSampler } from '../collect/samplers/hostSpeed.js'
import type { HostSpeed } from '../collect/samplers/hostSpeed.js'
import { figuresOf } from '../collect/samplers/sampler.js'
import type { HostCheck, LeftOutRound } from '../types/docs.js'
import type { ModeRun } from '../types/run.js'

/** A CPU whose speed moved more than this share within a slice, or across a round's slices, spoils the round. */
export const SPEED_TOLERANCE = 0.1

/**
 * Other processes' (or steal's) share of the run's CPUs that moved more than this between the slices of one
 * round spoils it (max less min, in points of the CPUs' time). A steady CPU hog beside a run here moved it 6 to
 * 10 points between slices (its share depends on how busy the load generator it competes with is); a job
 * starting or ending moves it by its whole size.
 */
export const FOREIGN_SWING = 0.15

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
  const speed = figuresOf(hostSpeedSampler, run)
  const contention = figuresOf(contentionSampler, run)
  return {
    mode: run.mode,
    workers: run.workers,
    connections: run.load.connections,
    trial: run.trial,
    ...(speed === undefined ? {} : { hostSpeed: speed }),
    ...(contention === undefined ? {} : { contention }),
    run
  }
}

const pc = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`
const cpusText = (cpus: readonly number[]): string => `CPU${cpus.length === 1 ? '' : 's'} ${cpus.join(',')}`

/** Why one slice (or cell) is unstable by itself: its CPU speed moved across its load; empty when it held still. */
export function unstableBecause (r: HostRun): string[] {
  const s = r.hostSpeed
  if (s === undefined) return []
  const speed = speedChange(s)
  return Math.abs(speed) > SPEED_TOLERANCE + 1e-9 ? [`host speed ${speed < 0 ? 'fell' : 'rose'} ${pc(Math.abs(speed))} on CPU ${s.cpu}`] : []
}

/** Each CPU's loop timings across these slices (before and after each). */
function timingsByCpu (runs: readonly HostRun[]): Map<number, number[]> {
  const out = new Map<number, number[]>()
  for (const r of runs) {
    const s = r.hostSpeed
    for (const c of s?.perCpu ?? (s === undefined ? [] : [s])) out.set(c.cpu, [...(out.get(c.cpu) ?? []), c.beforeMs, c.afterMs])
  }
  return out
}

/** Why one round (the slices of one configuration's trial) is unstable: a slice's own change, or a change between its slices. */
export function roundUnstableBecause (runs: readonly HostRun[]): string[] {
  const out = runs.flatMap(r => unstableBecause(r).map(w => `${r.mode}: ${w}`))
  // A slice whose speed moved by itself is said once; otherwise, a move between the slices.
  if (out.length === 0) {
    for (const [cpu, ms] of timingsByCpu(runs)) {
      const moved = Math.max(...ms) / Math.min(...ms) - 1
      if (moved > SPEED_TOLERANCE + 1e-9) out.push(`host speed moved ${pc(moved)} on CPU ${cpu} between the round's slices`)
    }
  }
  const cont = runs.flatMap(r => r.contention === undefined ? [] : [r.contention])
  const swing = (k: 'foreignShare' | 'stealShare'): [number, number] => [Math.min(...cont.map(c => c[k])), Math.max(...cont.map(c => c[k]))]
  const first = cont[0]
  if (first !== undefined && cont.length > 1) {
    const [lo, hi] = swing('foreignShare')
    if (hi - lo > FOREIGN_SWING) out.push(`other processes took from ${pc(lo)} to ${pc(hi)} of ${cpusText(first.cpus)} between the round's slices`)
    const [slo, shi] = swing('stealShare')
    if (shi - slo > FOREIGN_SWING) out.push(`steal moved from ${pc(slo)} to ${pc(shi)} between the round's slices`)
  }
  return out
}

const key = (r: { workers: number, connections: number, trial: number }): string => `${r.workers}|${r.connections}|${r.trial}`

/**
 * The rounds (a configuration's trial) whose host changed within them, with their reasons; and the runs of
 * the others, which ratios may use.
 */
export function leaveOutUnstable<R extends HostRun> (runs: readonly R[]): { kept: R[], leftOut: LeftOutRound[] } {
  const rounds = new Map<string, R[]>()
  for (const r of runs) {
    const slices = rounds.get(key(r))
    if (slices === undefined) rounds.set(key(r), [r])
    else slices.push(r)
  }
  const leftOut: LeftOutRound[] = []
  for (const slices of rounds.values()) {
    const why = roundUnstableBecause(slices)
    const r = slices[0]
    if (why.length > 0 && r !== undefined) leftOut.push({ workers: r.workers, connections: r.connections, trial: r.trial, reasons: why })
  }
  const bad = new Set(leftOut.map(key))
  return { kept: runs.filter(r => !bad.has(key(r))), leftOut: leftOut.sort((a, b) => a.trial - b.trial || a.workers - b.workers || a.connections - b.connections) }
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

/** A configuration (workers, connections). */
export interface Config { workers: number, connections: number }

const configKey = (r: Config): string => `${r.workers}|${r.connections}`

/** Whether `x` is of one of `configs`. */
export const inConfigs = (configs: readonly Config[], x: Config): boolean => configs.some(c => configKey(c) === configKey(x))

/**
 * The runs ratios and medians use: each configuration's rounds that held still; where every round of a
 * configuration changed within it, all of its rounds all the same, that configuration named in
 * `notComparable` (its figures are shown, marked: never an empty answer). `keep` keeps every round (the
 * rounds that changed are still listed in `leftOut`).
 */
export function runsForRatios<R extends HostRun> (runs: readonly R[], keep = false): { kept: R[], leftOut: LeftOutRound[], notComparable: Config[] } {
  const { kept, leftOut } = leaveOutUnstable(runs)
  if (keep) return { kept: [...runs], leftOut, notComparable: [] }
  const held = new Set(kept.map(configKey))
  const notComparable = [...new Map(runs.map(r => [configKey(r), { workers: r.workers, connections: r.connections }])).values()].filter(c => !held.has(configKey(c)))
  const stays = new Set(kept)
  return { kept: runs.filter(r => stays.has(r) || inConfigs(notComparable, r)), leftOut, notComparable }
}

/** The check over a run's cells, and the sentence every comparison carries ("host speed steady within 4%; ..."). */
export function hostCheckOf (runs: readonly HostRun[], unit: 'round' | 'trial', keep = false): HostCheck {
  const { leftOut, notComparable } = runsForRatios(runs, keep)
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
    foreignMin: foreign.length === 0 ? null : Math.min(...foreign),
    foreignMax: foreign.length === 0 ? null : Math.max(...foreign),
    stealMax: steal.length === 0 ? null : Math.max(...steal),
    kept: keep,
    ...(notComparable.length === 0 ? {} : { notComparable }),
    statement: ''
  }
  check.statement = hostStatement(check)
  return check
}

/** What was left out, or shown though not comparable: the first reason, where, and how many. */
function leftOutText (c: HostCheck): string[] {
  const first = c.leftOut[0]
  if (first === undefined) return []
  const where = `${first.reasons[0] ?? ''} during ${c.unit} ${first.trial}${c.leftOut.length > 1 ? ' (and others)' : ''}`
  if (c.kept === true) return [where, `${c.leftOut.length} of ${c.rounds} ${c.unit}s unstable, kept in ratios (--unstable keep)`]
  const shown = c.notComparable ?? []
  if (shown.length === 0) return [where, `${c.leftOut.length} of ${c.rounds} ${c.unit}s left out of ratios`]
  const which = shown.map(x => `${x.workers} workers, ${x.connections} connections`).join('; ')
  return [where, `${c.leftOut.length} of ${c.rounds} ${c.unit}s changed within them; where every ${c.unit} of a configuration did (${which}), all are shown, marked "host unstable: not comparable"`]
}

/** "host speed steady within 4% (drifted 12% over the run); other processes used 0.3% of the run's CPUs" or what was left out. */
export function hostStatement (c: HostCheck): string {
  if (c.speedMovedMax === null && c.foreignMean === null) return 'The host was not checked (no calibration or /proc/stat on this OS): drift in its speed cannot be ruled out.'
  const each = c.unit === 'round' ? 'slice' : 'cell'
  // When rounds were left out, the head names the first reason instead of a "steady within" that would not hold.
  const parts = leftOutText(c)
  if (parts.length === 0 && c.speedMovedMax !== null) parts.push(`host speed steady within ${pc(c.speedMovedMax)} across each ${each}`)
  if (c.speedDrift !== null && c.speedDrift > SPEED_TOLERANCE) parts.push(`it drifted ${pc(c.speedDrift)} over the run (paired ${c.unit}s cancel slow drift)`)
  const steal = c.stealMax !== null && c.stealMax > 0 ? `, steal at most ${pc(c.stealMax)}` : ''
  if (c.foreignMean !== null && c.foreignMax !== null) {
    // A level is said as one: paired rounds cancel a share that holds; what moved within a round was judged above.
    const busy = c.foreignMean > FOREIGN_WARN
    const range = c.foreignMin === undefined || c.foreignMin === null ? `at most ${pc(c.foreignMax)}` : `${pc(c.foreignMin)} to ${pc(c.foreignMax)}`
    parts.push(busy
      ? `other processes used ${pc(c.foreignMean)} of the run's CPUs throughout (${range} in one ${each})${steal}; paired ${c.unit}s cancel a steady share`
      : `other processes used ${pc(c.foreignMean)} of the run's CPUs (at most ${pc(c.foreignMax)} in one ${each})${steal}`)
  }
  return `Host: ${parts.join('; ')}.`
}
