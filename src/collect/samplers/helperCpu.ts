/**
 * The CPU of a listener kind's helper processes over a cell's measured load:
 * the cluster primary, which accepts every connection and hands it to a
 * worker, and so spends listener-side CPU that no listener reports. Read from
 * /proc/<pid>/stat (utime + stime); null where there is no helper or no /proc.
 */
import { processTicks, USER_HZ } from '../../proc/cpuTime.js'
import type { HelperCpu } from '../../types/run.js'
import type { Sampler } from './sampler.js'

const isHelperCpu = (h: unknown): h is HelperCpu =>
  typeof h === 'object' && h !== null && typeof (h as HelperCpu).cpuMs === 'number' && Array.isArray((h as HelperCpu).pids)

/** A cell's helper CPU among its samples, when it has one. */
export function helperCpuIn (samples: Readonly<Record<string, unknown>> | undefined): HelperCpu | undefined {
  const h = samples?.helpers
  return isHelperCpu(h) ? h : undefined
}

export const helpersSampler: Sampler<HelperCpu> = {
  name: 'helpers',
  description: "the CPU of the kind's helper processes (the cluster primary) over the measured load, from /proc (Linux)",
  scope: 'cell',
  is: isHelperCpu,
  helperCpu: h => h,
  begin: target => {
    const pids = target.helpers ?? []
    const before = pids.map(processTicks)
    return () => {
      if (pids.length === 0 || before.some(t => t === undefined)) return null
      const after = pids.map(processTicks)
      if (after.some(t => t === undefined)) return null
      const ticks = after.reduce<number>((a, t, i) => a + (t ?? 0) - (before[i] ?? 0), 0)
      return { pids, cpuMs: Math.round(ticks * 1000 / USER_HZ) }
    }
  }
}
