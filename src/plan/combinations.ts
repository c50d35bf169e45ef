/**
 * Options that make no sense together (a thread without connections, pipelining on a driver that cannot,
 * a namespace option without its namespace), and a grid too large to run at once: each refused with one
 * line naming the options.
 */
import { UsageError } from '../errors.js'
import { LOAD_DRIVERS, loadDriver } from '../load/drivers/index.js'
import { isSteerable, STEERABLE_MODES } from '../topology/kinds/index.js'
import { isEbpfPolicy } from '../topology/steer/policies.js'
import type { RawOptions, RunPlan } from '../types/plan.js'
import { plannedRuns } from './grid.js'
import { policiesOf } from './steer.js'
import { checkProtocol } from './udp.js'

/** Options that make no sense together, or a grid too large to run at once. */
export function checkCombinations (plan: RunPlan, raw: RawOptions): void {
  const fewest = Math.min(...plan.sweep.connections)
  if (plan.clientThreads > fewest) throw new UsageError(`--client-threads ${plan.clientThreads} is more than the ${fewest} connections of a cell: each thread needs at least one`)
  if (plan.rate > 0 && plan.clientThreads > plan.rate) throw new UsageError(`--client-threads ${plan.clientThreads} is more than --rate ${plan.rate}: each thread needs a share of the rate`)
  if (loadDriver(plan.driver).rate === 'required' && plan.rate === 0) throw new UsageError(`--driver ${plan.driver} needs --rate R (requests per second)`)
  checkPipelining(plan)
  checkProtocol(plan, raw)
  if (raw.clientAddrs !== undefined && !plan.clientNetns) throw new UsageError('--client-addrs applies only with --client-netns')
  if (raw.host !== undefined && plan.clientNetns) throw new UsageError('--client-netns puts the listeners on an address of a namespace made for them; leave out --host')
  if (raw.restartBusyMs !== undefined && !plan.restart) throw new UsageError('--restart-busy-ms applies only with --restart (or --scenario restart)')
  if (plan.steer !== 'none' && !plan.modes.some(isSteerable)) throw new UsageError(`--steer applies to ${STEERABLE_MODES.join(', ')} only (listeners whose sockets the addon opens); add reuseport to --modes`)
  if (plan.dumpSteering === true && !policiesOf(plan).some(isEbpfPolicy)) throw new UsageError('--dump-steering applies only with an eBPF policy in --steer (hash, two-choices, least-loaded)')
  const most = Math.max(...plan.sweep.connections)
  if (plan.rate > 0 && plan.rate < most) throw new UsageError(`--rate ${plan.rate} is below --connections ${most}: the load generator would silently open only ${plan.rate} connections`)
}

/** --pipelining needs a driver that pipelines, and keeps its connections (a churning connection closes after its requests). */
function checkPipelining (plan: RunPlan): void {
  const p = plan.pipelining ?? 1
  if (p === 1) return
  const pipelining = LOAD_DRIVERS.filter(d => d.pipelining === true).map(d => d.name)
  if (loadDriver(plan.driver).pipelining !== true) throw new UsageError(`--pipelining ${p} needs a driver that pipelines (${pipelining.join(', ')}); --driver ${plan.driver} sends one request per connection at a time`)
  if (plan.churn > 0) throw new UsageError(`--pipelining ${p} with --churn ${plan.churn}: a connection that closes after its requests cannot keep ${p} in flight; use one or the other`)
}

/** A grid too large to record at once: at most 500 cells, or 2000 slices side by side. */
export function checkSize (plan: RunPlan): void {
  const runs = plannedRuns(plan)
  const most = plan.interleave === 'rounds' ? 2000 : 500
  if (runs > most) throw new UsageError(`that plan is ${runs} ${plan.interleave === 'rounds' ? 'slices (modes x configurations x rounds)' : 'runs'}; at most ${most} in one invocation${plan.interleave === 'rounds' ? ' (a longer --slice or fewer --trials)' : ''}`)
}
