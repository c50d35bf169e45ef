/**
 * Pinning processes to the CPU sets of a run (topology/cpus.ts) through the
 * addon: the sets this host gives a plan, and pinning one process (every
 * thread it has; threads it starts later inherit the set, and so do the
 * processes it forks, such as the cluster primary's workers).
 */
import { errnoCode, RunError } from '../errors.js'
import { allowedCpus, capabilities, pinProcess } from '../native/index.js'
import { resolveCpuSets } from '../plan/cpus.js'
import type { RunPlan } from '../types/plan.js'
import type { CpuSets } from '../types/run.js'

/** The plan's CPU sets on this host: what this process may run on, and whether the addon can pin. */
export function cpuSetsHere (plan: Pick<RunPlan, 'clientCpus' | 'listenerCpus'>): CpuSets {
  const canPin = capabilities().cpuAffinity === true
  return resolveCpuSets(plan.clientCpus, plan.listenerCpus, canPin ? allowedCpus() : [], canPin)
}

/** Pins process `pid` (named `what` in errors) to `cpus`; nothing when cpus is null. A process already gone is left to whoever watches it exit. */
export function pin (pid: number | undefined, cpus: readonly number[] | null, what: string): void {
  if (cpus === null || pid === undefined) return
  try {
    pinProcess(pid, cpus)
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ESRCH') return
    throw new RunError('RB_PIN_FAILED', `cannot pin ${what} (pid ${pid}) to CPUs ${cpus.join(',')}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}
