/**
 * Variants: cells repeated after the main ones under a changed host setting.
 * Today one: the rolling restart again for the reuseport modes with
 * net.ipv4.tcp_migrate_req=1, set only inside a network namespace made for it
 * (the whole plan goes to the child run). Whether it can run is decided when
 * the session is resolved; a child run that fails is skipped with its reason.
 */
import { messageOf } from '../errors.js'
import { missingFeature } from '../kernel/features.js'
import { isReuseportGroup } from '../topology/kinds/index.js'
import { netnsUnavailable } from '../proc/netns.js'
import { runElsewhere } from './elsewhere.js'
import { markingRuns } from './run.js'
import type { SessionRunHooks } from './run.js'
import type { NotRun } from '../types/docs.js'
import type { RunPlan } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'

/** A variant as resolved: its name in the result, what it is, and the plan its child runs. */
export interface Variant { name: string, what: string, plan: RunPlan, sysctls: Record<string, string> }

const MIGRATE = { name: 'tcp_migrate_req=1 (own netns)', what: 'rolling restart with net.ipv4.tcp_migrate_req=1' }

/** The variants a plan asks for that can run here, and the ones that cannot, with the reason. */
export function variantsOf (plan: RunPlan): { variants: Variant[], notRun: NotRun[] } {
  if (!plan.restart) return { variants: [], notRun: [] }
  const modes = plan.modes.filter(isReuseportGroup)
  const why = modes.length === 0
    ? 'no reuseport mode in --modes'
    : plan.clientNetns ? 'not combined with --client-netns' : !plan.host.startsWith('127.') ? `the namespace has only loopback, and --host is ${plan.host}` : netnsUnavailable() ?? missingFeature('tcp_migrate_req')
  if (why !== undefined) return { variants: [], notRun: [{ what: MIGRATE.what, reason: why }] }
  return { variants: [{ ...MIGRATE, plan: { ...plan, modes, host: '127.0.0.1' }, sysctls: { 'net.ipv4.tcp_migrate_req': '1' } }], notRun: [] }
}

/** Runs a variant's cells in a namespace of its own, each marked with the variant; a failure (not an interrupt) becomes a skip. */
export async function runVariant (s: { skipped: NotRun[] }, v: Variant, hooks: SessionRunHooks): Promise<ModeRun[]> {
  hooks.onEvent?.({ type: 'note', text: `${v.what}: repeating ${v.plan.modes.join(', ')} in a network namespace of its own` })
  const mark = (r: ModeRun): ModeRun => ({ ...r, variant: v.name })
  try {
    const runs = await runElsewhere(v.plan, { kind: 'own-netns', sysctls: v.sysctls }, markingRuns(hooks, mark))
    return runs.map(mark)
  } catch (err) {
    if (hooks.signal?.aborted === true) throw err
    s.skipped.push({ what: v.what, reason: messageOf(err) })
    hooks.onEvent?.({ type: 'skipped', what: v.what, reason: messageOf(err) })
    return []
  }
}
