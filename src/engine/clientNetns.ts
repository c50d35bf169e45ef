/**
 * `run --client-netns`: the whole plan run inside a server namespace, with its
 * load generator in a client namespace, the two joined by a veth pair. The
 * namespaces are removed afterwards, whatever happens; ones left by a run that
 * was killed are removed before a new one is made.
 */
import { runElsewhere } from './elsewhere.js'
import { markingRuns } from './run.js'
import type { Resolved, RunHooks } from './run.js'
import { createClientTopology, removeClientTopology, removeStaleTopologies } from '../topology/clientns.js'
import type { RunPlan } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'

export async function runsWithClientHost (plan: RunPlan, hooks: RunHooks, resolved: Resolved): Promise<ModeRun[]> {
  removeStaleTopologies()
  const topo = createClientTopology(plan.clientAddrs)
  const cleanup = (): void => removeClientTopology(topo)
  process.once('exit', cleanup)
  const clientHost = { clientNs: topo.clientNs, serverNs: topo.serverNs, serverAddress: topo.serverAddress, clientAddresses: topo.clientAddresses }
  const mark = (r: ModeRun): ModeRun => ({ ...r, clientHost })
  try {
    const runs = await runElsewhere({ ...plan, host: topo.serverAddress }, { kind: 'netns', ns: topo.serverNs, client: { netns: topo.clientNs, addresses: topo.clientAddresses } },
      markingRuns(hooks, mark), resolved)
    return runs.map(mark)
  } finally {
    cleanup()
    process.removeListener('exit', cleanup)
  }
}
