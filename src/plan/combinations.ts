/**
 * Options that make no sense together (a thread without connections, pipelining on a driver that cannot,
 * a namespace option without its namespace), and a grid too large to run at once: each refused with one
 * line naming the options.
 */
import { UsageError } from '../errors.js'
import { driverProtocol, LOAD_DRIVERS, loadDriver } from '../load/drivers/index.js'
import { DATAGRAM_MODES, isSteerable, listenerKind, STEERABLE_MODES } from '../topology/kinds/index.js'
import { isEbpfPolicy } from '../topology/steer/policies.js'
import type { RawOptions, RunPlan } from '../types/plan.js'
import { plannedRuns } from './grid.js'
import { policiesOf } from './steer.js'

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

/** What a UDP run cannot take yet, each with its flag: a timeline or a client that is HTTP's alone, or not built for UDP. */
const NOT_FOR_UDP: Array<[string, (p: RunPlan) => boolean]> = [
  ['--handler (a UDP listener answers each datagram itself)', p => p.handler !== null],
  ['--churn (UDP has no connections to renew)', p => p.churn > 0],
  ['--steer', p => p.steer !== 'none' || Object.keys(p.steerArms ?? {}).length > 0],
  ['--restart', p => p.restart],
  ['--stall', p => p.stall !== null],
  ['--client-netns', p => p.clientNetns],
  ['--server-via, --client-via and --target', p => p.serverVia !== null || p.clientVia.length > 0 || p.target !== null]
]

/** The driver loads the plan's protocol; with UDP, every mode can serve it and nothing asks what UDP cannot do yet. */
function checkProtocol (plan: RunPlan, raw: RawOptions): void {
  const protocol = plan.protocol ?? 'tcp'
  const driver = loadDriver(plan.driver)
  if (driverProtocol(driver) !== protocol) throw new UsageError(`--driver ${driver.name} loads ${driverProtocol(driver) === 'udp' ? 'UDP' : 'HTTP over TCP'}; with --protocol ${protocol} use ${LOAD_DRIVERS.filter(d => driverProtocol(d) === protocol).map(d => d.name).join(' or ')}`)
  if (protocol !== 'udp') {
    if (raw.datagramBytes !== undefined) throw new UsageError('--datagram-size applies only with --protocol udp')
    if (plan.heavyFlows !== undefined) throw new UsageError('--heavy-flows applies only with --protocol udp')
    return
  }
  if (plan.heavyFlows !== undefined && plan.rate === 0) throw new UsageError('--heavy-flows needs --rate R: a flow carries its share of an open loop (a closed loop sends each flow\'s next datagram on its answer)')
  if (plan.heavyFlows !== undefined && plan.clientThreads > 1) throw new UsageError('--heavy-flows takes one client thread (--client-threads 1): the heavy flows are one thread\'s')
  const cannot = plan.modes.filter(m => listenerKind(m).datagrams !== true)
  if (cannot.length > 0) throw new UsageError(`--protocol udp: ${cannot.join(', ')} cannot serve UDP; the modes that can: ${DATAGRAM_MODES.join(', ')}`)
  const asked = NOT_FOR_UDP.find(([, given]) => given(plan))
  if (asked !== undefined) throw new UsageError(`--protocol udp does not take ${asked[0]} yet`)
}

/** A grid too large to record at once: at most 500 cells, or 2000 slices side by side. */
export function checkSize (plan: RunPlan): void {
  const runs = plannedRuns(plan)
  const most = plan.interleave === 'rounds' ? 2000 : 500
  if (runs > most) throw new UsageError(`that plan is ${runs} ${plan.interleave === 'rounds' ? 'slices (modes x configurations x rounds)' : 'runs'}; at most ${most} in one invocation${plan.interleave === 'rounds' ? ' (a longer --slice or fewer --trials)' : ''}`)
}
