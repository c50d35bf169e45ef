/**
 * Which of the asked modes this OS (the addon's capabilities) and the
 * listeners' Node can run, and which steered arms the kernel lets run;
 * the others are skipped with the reason.
 */
import { UsageError } from '../errors.js'
import { capabilities } from '../native/index.js'
import { reuseChoice } from '../topology/kinds/index.js'
import type { NotRun } from '../types/docs.js'
import { steerOf } from '../plan/steer.js'
import { isEbpfPolicy } from '../topology/steer/policies.js'
import { ebpfSteeringProblem } from '../kernel/bpf/probe.js'
import type { Mode, RunPlan } from '../types/plan.js'
import { missingFeature } from '../kernel/features.js'

/**
 * The modes this OS (the addon's capabilities) and the listeners' Node can run, and why each other
 * one cannot; when none can, the first one's reason is the error (exit 2).
 */
export function runnableModes (modes: readonly Mode[], node = process.version): { modes: Mode[], skipped: NotRun[] } {
  const caps = capabilities()
  const skipped: NotRun[] = []
  let first: UsageError | undefined
  const ok = modes.filter(m => {
    try {
      reuseChoice(m, caps, node, missingFeature)
      return true
    } catch (err) {
      if (!(err instanceof UsageError) || err.code !== 'RB_UNSUPPORTED') throw err
      first ??= err
      skipped.push({ what: `mode ${m}`, reason: err.message })
      return false
    }
  })
  if (ok.length === 0 && first !== undefined) throw first
  return { modes: ok, skipped }
}

/** Checks that this OS and the listeners' Node (`node`) can run every one of the modes (the first that cannot says why). */
export function assertSupported (modes: readonly Mode[], node: string): void {
  const caps = capabilities()
  for (const m of modes) reuseChoice(m, caps, node, missingFeature)
}

/** The plan without the arms whose eBPF steering this host cannot run (each skipped with the reason); none left is bad input. */
export function withoutUnsteerable (plan: RunPlan): { plan: RunPlan, skipped: NotRun[] } {
  const ebpf = plan.modes.filter(m => isEbpfPolicy(steerOf(plan, m)))
  if (ebpf.length === 0) return { plan, skipped: [] }
  const why = ebpfSteeringProblem()
  if (why === undefined) return { plan, skipped: [] }
  const modes = plan.modes.filter(m => !ebpf.includes(m))
  if (modes.length === 0) throw new UsageError(why, 'RB_UNSUPPORTED')
  return { plan: { ...plan, modes }, skipped: ebpf.map(m => ({ what: `mode ${m} (--steer ${steerOf(plan, m)})`, reason: why })) }
}
