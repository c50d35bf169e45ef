/**
 * Contention: how much of the CPUs a cell's load used went to processes that
 * are not the run's own. From /proc/stat, the busy time of those CPUs over
 * the measured load; from /proc/<pid>/stat, the CPU time of every process of
 * the run (listeners, helpers, the load generator, this orchestrator, and the
 * groups of other modes waiting side by side). What is left is someone
 * else's, reported as a share of those CPUs' time; steal time (a hypervisor
 * that gave the CPU to another guest) beside it, where the kernel counts it.
 * Linux only: elsewhere the sampler says nothing.
 */
import { allowedHere } from '../../proc/pinning.js'
import { num } from '../../numbers.js'
import { cpuTicks, processTicks, USER_HZ } from '../../proc/cpuTime.js'
import type { CpuTicks } from '../../proc/cpuTime.js'
import type { Presentation } from '../../types/presentation.js'
import type { Sampler } from './sampler.js'

/** The measured load's CPU time split by whose it was, as shares of the CPUs it used (`cpus`) over `wallMs`. */
export interface Contention {
  cpus: number[]
  wallMs: number
  /** The CPUs' busy time (user, system, interrupts), ms. */
  busyMs: number
  /** The run's own processes' CPU time, ms. */
  ownMs: number
  /** (busy - own) / (wall x CPUs), at least 0: the share of those CPUs other processes took. */
  foreignShare: number
  /** Steal time / (wall x CPUs): the share a hypervisor gave to other guests. */
  stealShare: number
}

/** A share of the CPUs to other processes (or to steal) above this is said as a level (analyse/hostCheck.ts judges what moved). */
export const FOREIGN_WARN = 0.05

const sumOver = (m: Map<number, CpuTicks>, cpus: readonly number[], k: keyof CpuTicks): number => cpus.reduce((a, c) => a + (m.get(c)?.[k] ?? 0), 0)
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

/** The figures from two /proc/stat readings and the own processes' ticks before and after (pure). */
export function contentionOf (cpus: readonly number[], before: Map<number, CpuTicks>, after: Map<number, CpuTicks>, ownTicks: number, wallMs: number): Contention {
  const tickMs = 1000 / USER_HZ
  const busyMs = (sumOver(after, cpus, 'busy') - sumOver(before, cpus, 'busy')) * tickMs
  const stealMs = (sumOver(after, cpus, 'steal') - sumOver(before, cpus, 'steal')) * tickMs
  const ownMs = ownTicks * tickMs
  const capacity = Math.max(1, wallMs * cpus.length)
  return { cpus: [...cpus], wallMs: Math.round(wallMs), busyMs: Math.round(busyMs), ownMs: Math.round(ownMs), foreignShare: round4(Math.max(0, busyMs - ownMs) / capacity), stealShare: round4(Math.max(0, stealMs) / capacity) }
}

const isContention = (v: unknown): v is Contention => {
  const c = v as Contention
  return typeof v === 'object' && v !== null && Array.isArray(c.cpus) && [c.wallMs, c.busyMs, c.ownMs, c.foreignShare, c.stealShare].every(x => typeof x === 'number' && Number.isFinite(x))
}

const pc = (x: number): string => `${num(x * 100, 1)}%`

function present (c: Contention): Presentation {
  const line = `contention: other processes used ${pc(c.foreignShare)} of CPU${c.cpus.length === 1 ? '' : 's'} ${c.cpus.join(',')} during the load${c.stealShare > 0 ? `, steal ${pc(c.stealShare)}` : ''}`
  const contended = c.foreignShare > FOREIGN_WARN || c.stealShare > FOREIGN_WARN
  return { lines: [contended ? `${line}; above ${pc(FOREIGN_WARN)}: a share that holds through a round is cancelled by its pairs, one that moves within it leaves the round out` : line] }
}

/**
 * The CPUs an unpinned run can use: those of this process's affinity mask that /proc/stat counts
 * (CPUs are not numbered 0..N-1 under a mask such as taskset -c 2,3); every CPU /proc/stat counts where
 * there is no mask (proc/pinning.ts allowedHere gives none where it cannot be read).
 */
export function unpinnedCpus (mask: readonly number[], counted: Iterable<number>): number[] {
  const present = [...counted].sort((a, b) => a - b)
  const inMask = present.filter(c => mask.includes(c))
  return inMask.length > 0 ? inMask : present
}

/** The sum of the processes' ticks (those gone by the end count what they had at the start as nothing). */
const ticksOf = (pids: readonly number[]): Map<number, number> => new Map(pids.map(p => [p, processTicks(p) ?? 0]))

export const contentionSampler: Sampler<Contention> = {
  name: 'contention',
  description: "the share of the run's CPUs that other processes (and a hypervisor's steal) took during each measured load: /proc/stat's busy time less the run's own processes' CPU time (Linux)",
  scope: 'cell',
  is: isContention,
  present,
  begin: target => {
    const before = cpuTicks()
    if (before === undefined) return () => null
    const cpus = target.cpus ?? unpinnedCpus(allowedHere(), before.keys())
    const own = (): number[] => [...new Set([process.pid, ...target.pids, ...(target.helpers ?? []), ...(target.ownPids?.() ?? [])])]
    const ownBefore = ticksOf(own())
    const t0 = performance.now()
    return () => {
      const after = cpuTicks()
      if (after === undefined) return null
      let ownTicks = 0
      for (const [pid, t] of ticksOf(own())) ownTicks += Math.max(0, t - (ownBefore.get(pid) ?? t))
      return contentionOf(cpus, before, after, ownTicks, performance.now() - t0)
    }
  }
}
