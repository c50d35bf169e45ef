/**
 * What two runs' plans differ in, apart from the host: the differences that
 * change what is measured (load shape, listener behaviour) make a comparison
 * meaningless; the others (how long it ran) make it weaker. `compare` refuses
 * the first kind unless told otherwise and warns about the second.
 */
import { steerText } from './steer.js'
import { defaultDriver } from '../load/drivers/index.js'
import type { RunPlan } from '../types/plan.js'

export interface PlanDifference { field: string, a: string, b: string, severity: 'changes what is measured' | 'weakens the comparison' }

type Shown = (p: Partial<RunPlan>) => string

/** A CPU choice as typed; results written before pinning existed were not pinned ('all'). */
const cpus = (c: RunPlan['clientCpus'] | undefined): string => c === undefined ? 'all' : Array.isArray(c) ? c.join(',') : c

const stall: Shown = p => p.stall === null || p.stall === undefined ? 'none' : `${p.stall.index}:${p.stall.forMs}:${p.stall.everyMs}`

/** The fields that matter, how each is shown, and how much a difference in it matters. */
const FIELDS: Array<{ field: string, show: Shown, severity: PlanDifference['severity'] }> = [
  { field: 'protocol', show: p => p.protocol ?? 'tcp', severity: 'changes what is measured' },
  { field: 'datagram-size', show: p => p.datagramBytes === undefined ? '-' : `${p.datagramBytes} B`, severity: 'changes what is measured' },
  { field: 'udp-connect', show: p => p.udpConnectArms === undefined ? String(p.udpConnect ?? false) : `arms ${p.udpConnectArms.join(',')}`, severity: 'changes what is measured' },
  { field: 'heavy-flows', show: p => p.heavyFlows === undefined ? 'none' : `${p.heavyFlows.flows}:${p.heavyFlows.share}`, severity: 'changes what is measured' },
  { field: 'churn', show: p => String(p.churn ?? 0), severity: 'changes what is measured' },
  { field: 'pipelining', show: p => String(p.pipelining ?? 1), severity: 'changes what is measured' },
  { field: 'rate', show: p => String(p.rate ?? 0), severity: 'changes what is measured' },
  { field: 'driver', show: p => p.driver ?? defaultDriver(0).name, severity: 'changes what is measured' },
  { field: 'work-us', show: p => String(p.workUs ?? 0), severity: 'changes what is measured' },
  { field: 'stall', show: stall, severity: 'changes what is measured' },
  { field: 'steer', show: p => steerText({ steer: p.steer ?? 'none', steerArms: p.steerArms ?? {} }), severity: 'changes what is measured' },
  { field: 'restart', show: p => String(p.restart ?? false), severity: 'changes what is measured' },
  { field: 'restart-busy-ms', show: p => String(p.restartBusyMs ?? 0), severity: 'changes what is measured' },
  { field: 'instrument', show: p => String(p.instrument ?? true), severity: 'changes what is measured' },
  { field: 'client-netns', show: p => String(p.clientNetns ?? false), severity: 'changes what is measured' },
  { field: 'client-threads', show: p => String(p.clientThreads ?? 1), severity: 'changes what is measured' },
  { field: 'client-cpus', show: p => cpus(p.clientCpus), severity: 'changes what is measured' },
  { field: 'listener-cpus', show: p => cpus(p.listenerCpus), severity: 'changes what is measured' },
  { field: 'handler', show: p => p.handler ?? 'the fixed body', severity: 'changes what is measured' },
  // Which hosts ran what, not how they were reached: a Linux and a FreeBSD server host compare.
  { field: 'server-via', show: p => p.serverVia === null || p.serverVia === undefined ? 'listeners on the orchestrator\'s host' : 'listeners on a server host', severity: 'changes what is measured' },
  { field: 'client-via', show: p => `${p.clientVia?.length ?? 0} client hosts`, severity: 'changes what is measured' },
  { field: 'node', show: p => p.node ?? 'the harness\'s', severity: 'changes what is measured' },
  { field: 'queue-sample-ms', show: p => String(p.queueSampleMs ?? 0), severity: 'weakens the comparison' },
  { field: 'duration', show: p => `${p.durationSec ?? '?'} s`, severity: 'weakens the comparison' },
  { field: 'warmup', show: p => `${p.warmupSec ?? '?'} s`, severity: 'weakens the comparison' }
]

/** Every field in which `b` differs from `a` (older results without a field read as its default). */
export function planDifferences (a: Partial<RunPlan>, b: Partial<RunPlan>): PlanDifference[] {
  return FIELDS.flatMap(f => {
    const x = f.show(a)
    const y = f.show(b)
    return x === y ? [] : [{ field: f.field, a: x, b: y, severity: f.severity }]
  })
}
