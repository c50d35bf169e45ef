/**
 * What a UDP plan (--protocol udp) takes: the driver of its protocol, modes that can serve it, a heavy
 * share of the datagrams on a few flows (--heavy-flows), and none of what UDP does not have yet; each
 * refused in one line naming the option.
 */
import { UsageError } from '../errors.js'
import { LIMITS } from '../limits.js'
import { driverProtocol, LOAD_DRIVERS, loadDriver } from '../load/drivers/index.js'
import { CONNECTING_MODES, DATAGRAM_MODES, listenerKind } from '../topology/kinds/index.js'
import { isEbpfPolicy, STEER_POLICIES } from '../topology/steer/policies.js'
import type { Mode, RawOptions, RunPlan } from '../types/plan.js'
import { parseShare } from './units.js'
import { integer, listItems, single } from './values.js'

/** --heavy-flows K:SHARE ('1:50%', '2:0.8'): K flows, at least one fewer than the flows of every cell, carrying a share between 0 and 1. */
export function heavyFlows (v: unknown, plan: RunPlan): RunPlan['heavyFlows'] {
  const text = String(single('heavy-flows', v))
  const m = /^(\d+):(.+)$/.exec(text.trim())
  const share = m?.[2] === undefined ? undefined : parseShare(m[2])
  if (m === null || share === undefined || !(share > 0 && share < 1)) throw new UsageError(`--heavy-flows must be K:SHARE, K flows carrying SHARE of the datagrams (1:50%, 2:0.8), got '${text}'`)
  const flows = integer('heavy-flows', m[1], 1, LIMITS.connections)
  const fewest = Math.min(...plan.sweep.connections)
  if (flows >= fewest) throw new UsageError(`--heavy-flows ${text}: ${flows} heavy flows leave none of the ${fewest} flows of a cell to carry the rest`)
  return { flows, share }
}

/** --udp-connect-arms ARMS: arms among --modes (reuseport#2 for the second of a kind), not with --udp-connect. */
export function udpConnectArms (v: unknown, plan: RunPlan): Mode[] {
  const arms = listItems('udp-connect-arms', v)
  if (arms.length === 0) throw new UsageError('--udp-connect-arms names the arms that connect a socket to each flow (reuseport#2), got none')
  if (plan.udpConnect === true) throw new UsageError('--udp-connect-arms and --udp-connect: every arm connects with --udp-connect; name the arms with --udp-connect-arms alone')
  const stray = arms.filter(a => !plan.modes.includes(a))
  if (stray.length > 0) throw new UsageError(`--udp-connect-arms names ${stray.join(', ')}, not among --modes (${plan.modes.join(', ')}); an arm's name is its mode, or mode#2 for the second of a kind`)
  return [...new Set(arms)]
}

/** Whether arm `mode` connects a socket to each flow (--udp-connect, or --udp-connect-arms naming it). */
export function connectsFlows (plan: Pick<RunPlan, 'udpConnect' | 'udpConnectArms'>, mode: Mode): boolean {
  return plan.udpConnect === true || (plan.udpConnectArms?.includes(mode) ?? false)
}

/** What a UDP run cannot take yet, each with its flag: a timeline or a client that is HTTP's alone, or not built for UDP. */
const NOT_FOR_UDP: Array<[string, (p: RunPlan) => boolean]> = [
  ['--handler (a UDP listener answers each datagram itself)', p => p.handler !== null],
  ['--churn (UDP has no connections to renew)', p => p.churn > 0],
  ['--restart', p => p.restart],
  ['--stall', p => p.stall !== null],
  ['--client-netns', p => p.clientNetns],
  ['--server-via, --client-via and --target', p => p.serverVia !== null || p.clientVia.length > 0 || p.target !== null]
]

/** The driver loads the plan's protocol; with UDP, every mode can serve it and nothing asks what UDP cannot do yet. */
export function checkProtocol (plan: RunPlan, raw: RawOptions): void {
  const protocol = plan.protocol ?? 'tcp'
  const driver = loadDriver(plan.driver)
  if (driverProtocol(driver) !== protocol) throw new UsageError(`--driver ${driver.name} loads ${driverProtocol(driver) === 'udp' ? 'UDP' : 'HTTP over TCP'}; with --protocol ${protocol} use ${LOAD_DRIVERS.filter(d => driverProtocol(d) === protocol).map(d => d.name).join(' or ')}`)
  if (protocol !== 'udp') {
    if (raw.datagramBytes !== undefined) throw new UsageError('--datagram-size applies only with --protocol udp')
    if (plan.udpConnect === true || plan.udpConnectArms !== undefined) throw new UsageError(`--${plan.udpConnect === true ? 'udp-connect' : 'udp-connect-arms'} applies only with --protocol udp`)
    if (plan.heavyFlows !== undefined) throw new UsageError('--heavy-flows applies only with --protocol udp')
    return
  }
  if (plan.heavyFlows !== undefined && plan.rate === 0) throw new UsageError('--heavy-flows needs --rate R: a flow carries its share of an open loop (a closed loop sends each flow\'s next datagram on its answer)')
  if (plan.heavyFlows !== undefined && plan.clientThreads > 1) throw new UsageError('--heavy-flows takes one client thread (--client-threads 1): the heavy flows are one thread\'s')
  const cannot = plan.modes.filter(m => listenerKind(m).datagrams !== true)
  if (cannot.length > 0) throw new UsageError(`--protocol udp: ${cannot.join(', ')} cannot serve UDP; the modes that can: ${DATAGRAM_MODES.join(', ')}`)
  const unconnected = plan.modes.filter(m => connectsFlows(plan, m) && listenerKind(m).connectsFlows !== true)
  if (unconnected.length > 0) throw new UsageError(`--udp-connect: ${unconnected.join(', ')} cannot connect a socket of its own to each flow; the modes that can: ${CONNECTING_MODES.join(', ')}`)
  const asked = NOT_FOR_UDP.find(([, given]) => given(plan))
  if (asked !== undefined) throw new UsageError(`--protocol udp does not take ${asked[0]} yet`)
  const ebpf = [plan.steer, ...Object.values(plan.steerArms ?? {})].filter(isEbpfPolicy)
  if (ebpf.length > 0) {
    const classic = STEER_POLICIES.filter(x => x.program === 'cbpf').map(x => x.name).join(', ')
    throw new UsageError(`--steer ${[...new Set(ebpf)].join(', ')} with --protocol udp: the eBPF programs weigh each socket by a TCP listener's accept queue and open connections, which a UDP socket has not; the classic programs (${classic}) steer a UDP group`)
  }
}

