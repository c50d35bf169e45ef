/**
 * --steer as the plan keeps it: one policy for every arm that can take a
 * program ("least-loaded"), and/or a policy per arm ("reuseport#2=least-loaded"),
 * so hash and load-aware steering of one kind are compared in one run. Which
 * policy an arm runs is asked here and nowhere else.
 */
import { UsageError } from '../errors.js'
import { isSteerable, STEERABLE_MODES } from '../topology/kinds/index.js'
import { isEbpfPolicy, STEER_NAMES } from '../topology/steer/policies.js'
import type { Mode, RunPlan, SteerPolicy } from '../types/plan.js'
import { listItems } from './values.js'

function policyName (v: string, item: string): SteerPolicy {
  if (!STEER_NAMES.includes(v)) throw new UsageError(`--steer must be one of ${STEER_NAMES.join(', ')} (or ARM=POLICY), got '${item}'`)
  return v as SteerPolicy
}

/** "least-loaded" or "reuseport#2=least-loaded,reuseport#3=two-choices" (with at most one plain policy among them) for these modes. */
export function parseSteer (v: unknown, modes: readonly Mode[]): { steer: SteerPolicy, steerArms: Record<Mode, SteerPolicy> } {
  let steer: SteerPolicy | undefined
  const steerArms: Record<Mode, SteerPolicy> = {}
  for (const item of listItems('steer', v)) {
    const eq = item.indexOf('=')
    if (eq < 0) {
      if (steer !== undefined) throw new UsageError(`--steer names more than one policy for every arm ('${steer}', '${item}'); name the arm of each: ARM=POLICY`)
      steer = policyName(item, item)
      continue
    }
    const arm = item.slice(0, eq).trim()
    const policy = policyName(item.slice(eq + 1).trim(), item)
    if (!modes.includes(arm)) throw new UsageError(`--steer names ${arm}, which is not among --modes (${modes.join(', ')}); an arm's name is its mode, or mode#2 for the second of a kind`)
    if (!isSteerable(arm)) throw new UsageError(`--steer ${item}: steering applies to ${STEERABLE_MODES.join(', ')} only (listeners whose sockets the addon opens)`)
    if (arm in steerArms) throw new UsageError(`--steer names ${arm} twice`)
    steerArms[arm] = policy
  }
  return { steer: steer ?? 'none', steerArms }
}

/** The policy arm `mode` runs under (none for a kind that cannot take a program). */
export function steerOf (plan: Pick<RunPlan, 'steer' | 'steerArms'>, mode: Mode): SteerPolicy {
  if (!isSteerable(mode)) return 'none'
  return plan.steerArms?.[mode] ?? plan.steer
}

/** Every policy the plan's arms run, once each. */
export function policiesOf (plan: Pick<RunPlan, 'steer' | 'steerArms' | 'modes'>): SteerPolicy[] {
  return [...new Set(plan.modes.map(m => steerOf(plan, m)))]
}

/** Whether any arm is steered by a program. */
export function anySteering (plan: Pick<RunPlan, 'steer' | 'steerArms' | 'modes'>): boolean {
  return policiesOf(plan).some(p => p !== 'none')
}

/** Whether any arm runs a classic BPF program (checked when its group stops, so cells only). */
export function anyClassic (plan: Pick<RunPlan, 'steer' | 'steerArms' | 'modes'>): boolean {
  return policiesOf(plan).some(p => p !== 'none' && !isEbpfPolicy(p))
}

/** "reuseport#2=least-loaded" items (or the one policy) as --steer would take them back. */
export function steerText (plan: Pick<RunPlan, 'steer' | 'steerArms'>): string {
  const arms = Object.entries(plan.steerArms ?? {}).map(([m, p]) => `${m}=${p}`)
  return [...(plan.steer === 'none' && arms.length > 0 ? [] : [plan.steer]), ...arms].join(',')
}
