/**
 * A plan run somewhere else: in a network namespace of its own made with
 * `unshare --net` (with per-namespace sysctls set inside it), or in an
 * existing namespace (`ip netns exec`) with the load generator in another.
 * The child (workers/run-child.js) receives the whole plan as JSON, never a
 * re-typed subset of flags, and streams back the engine's events (each
 * finished cell among them); it does no analysis and writes no file. It has a deadline derived
 * from the plan, and is killed (with everything it started) on abort.
 */
import { fileURLToPath } from 'node:url'
import { planBudgetMs } from '../plan/deadlines.js'
import { InterruptedError, PhaseTimeoutError } from '../errors.js'
import { ProtocolChannel } from '../ipc/protocol.js'
import { array } from '../shape.js'
import { modeRun } from '../schema/run.js'
import { spawnTracked } from '../proc/children.js'
import type { Resolved, RunHooks } from './run.js'
import type { RunPlan } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'
import type { ClientPlace } from '../types/load.js'
import type { ChildRunProtocol, ChildRunRequest } from '../types/events.js'

const RUN_CHILD = fileURLToPath(new URL('../../workers/run-child.js', import.meta.url))

export type Where =
  /** A fresh network namespace (only loopback), with these sysctls set inside it. */
  | { kind: 'own-netns', sysctls: Record<string, string> }
  /** An existing namespace; the load generator in `client`'s. */
  | { kind: 'netns', ns: string, client?: ClientPlace }

function describe (where: Where): string {
  return where.kind === 'own-netns' ? 'the run in a network namespace of its own' : `the run in network namespace ${where.ns}`
}

/** Runs `plan` at `where`; resolves with its cells. Its events go to `hooks.onEvent` as they come (each finished cell as a 'cell-done'). */
export async function runElsewhere (plan: RunPlan, where: Where, hooks: RunHooks = {}, resolved?: Resolved): Promise<ModeRun[]> {
  const node = [process.execPath, RUN_CHILD]
  const [cmd, ...args] = where.kind === 'own-netns' ? ['unshare', '--net', '--', ...node] : ['ip', 'netns', 'exec', where.ns, ...node]
  const child = spawnTracked(cmd ?? 'unshare', args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
  const channel = new ProtocolChannel<ChildRunProtocol>(child, describe(where)).checkReplies({ run: array(modeRun) })
  const deadlineMs = planBudgetMs(plan)
  const request: ChildRunRequest = {
    plan,
    ...(where.kind === 'own-netns' ? { prepare: { sysctls: where.sysctls } } : {}),
    ...(where.kind === 'netns' && where.client !== undefined ? { client: where.client } : {}),
    ...(resolved === undefined ? {} : { resolved: { cpus: resolved.cpus, node: resolved.node } })
  }
  try {
    return await channel.ask('run', request, {
      timeoutMs: deadlineMs,
      onTimeout: () => new PhaseTimeoutError('child run', describe(where), deadlineMs, `pid ${String(child.pid)} did not finish`),
      onAbort: () => new InterruptedError(String(hooks.signal?.reason ?? 'signal')),
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      onEvent: e => hooks.onEvent?.(e)
    })
  } finally {
    await channel.close()
  }
}
