/**
 * `run --server-via / --client-via`: the plan's cells with the listeners on a
 * server host and the load from client hosts, each reached through its
 * transport prefix. The hosts are connected once (who they are, their
 * clocks), used by every cell, and closed at the end whatever happens, so
 * nothing is left running on any of them.
 */
import { runPlan } from './run.js'
import type { Resolved, SessionRunHooks } from './run.js'
import { closeHosts, connectHosts } from '../remote/hosts.js'
import type { RemoteHost } from '../remote/host.js'
import { SERVER_HOST_REPLIES } from '../topology/replies.js'
import { LOAD_HOST_REPLIES } from '../load/resultShape.js'
import { machine } from '../collect/samplers/host.js'
import { signedMs } from '../numbers.js'
import { toolVersion } from '../version.js'
import type { RunPlan } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'

function describeHost (h: RemoteHost): string {
  const hello = h.hello
  const what = hello === undefined ? '' : `${machine(hello.facts)}, reuseport-bench ${hello.version}${hello.version === toolVersion() ? '' : ` (this one is ${toolVersion()})`}`
  return `${h.name}: ${what}; clock ${signedMs(h.clock.offsetMs)} against this one (round trip ${h.clock.rttMs.toFixed(1)} ms)`
}

export async function runsOverHosts (plan: RunPlan, hooks: SessionRunHooks, resolved: Resolved): Promise<ModeRun[]> {
  const say = (text: string): void => hooks.onEvent?.({ type: 'note', text })
  const n = plan.clientVia.length
  say(`connecting to ${plan.serverVia === null ? 'no server host (listeners here)' : 'the server host'} and ${n === 0 ? 'no client host (load from here)' : `${n} client host${n === 1 ? '' : 's'}`}`)
  const hosts = await connectHosts(plan, { server: SERVER_HOST_REPLIES, load: LOAD_HOST_REPLIES }, hooks.signal)
  try {
    for (const h of [hosts.server, ...hosts.clients]) if (h !== undefined) say(describeHost(h))
    return await runPlan(plan, hooks, { hosts }, resolved)
  } finally {
    await closeHosts(hosts)
  }
}
