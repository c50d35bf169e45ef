/**
 * Pinning processes to the CPU sets of a run (topology/cpus.ts) through the
 * addon: the sets this host gives a plan, and pinning one process (every
 * thread it has; threads it starts later inherit the set, and so do the
 * processes it forks, such as the cluster primary's workers); spreading
 * client threads over the client's CPUs, and where a thread ran.
 */
import { readFileSync } from 'node:fs'
import { errnoCode, RunError } from '../errors.js'
import { allowedCpus, capabilities, pinProcess } from '../native/index.js'
import { resolveCpuSets } from './cpus.js'
import type { RunPlan } from '../types/plan.js'
import type { ThreadPlacement } from '../types/load.js'
import type { CpuSets } from '../types/run.js'

/** The CPUs this process may run on (its affinity mask); none where the addon cannot read it (not Linux). */
export function allowedHere (): number[] {
  return capabilities().cpuAffinity === true ? allowedCpus() : []
}

/** The plan's CPU sets on this host: what this process may run on, and whether the addon can pin. */
export function cpuSetsHere (plan: Pick<RunPlan, 'clientCpus' | 'listenerCpus'>): CpuSets {
  return resolveCpuSets(plan.clientCpus, plan.listenerCpus, allowedHere(), capabilities().cpuAffinity === true)
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

/** Where the calling thread may run and the CPU it last ran on (/proc/thread-self/stat, field 39); nulls where unknown. */
export function threadPlacement (): ThreadPlacement {
  let cpus: number[] | null = null
  let lastCpu: number | null = null
  try {
    if (capabilities().cpuAffinity === true) cpus = allowedCpus(0)
    const stat = readFileSync('/proc/thread-self/stat', 'utf8')
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpu = Number(rest[36]) // field 39; rest[0] is field 3
    if (Number.isInteger(cpu)) lastCpu = cpu
  } catch { /* not Linux, or no /proc */ }
  return { cpus, lastCpu }
}

/** The CPU set of client thread `i` of a load: the client's CPUs in turn, one each, so threads spread over them (all of them when there is one). */
export function threadCpus (i: number, clientCpus: readonly number[]): number[] {
  if (clientCpus.length <= 1) return [...clientCpus]
  return [clientCpus[i % clientCpus.length] ?? 0]
}
