/**
 * The two sides of a cell, chosen from where the run's parts live: the
 * listeners (a group on this host, or on the server host of a run over
 * several machines) and the load (the load generator process here or in a
 * client namespace, or the client hosts), and where the load is sent.
 */
import { LoadProcess } from '../load/process.js'
import { RemoteLoads } from '../load/remote.js'
import type { CellLoad } from '../load/side.js'
import { loadTarget } from '../topology/address.js'
import { ListenerGroup } from '../topology/group.js'
import { RemoteListeners } from '../topology/remote.js'
import type { CellListeners } from '../topology/side.js'
import type { RunHosts } from '../remote/hosts.js'
import type { Sampler } from '../collect/samplers/sampler.js'
import type { ClientPlace, LoadSpec } from '../types/load.js'
import type { Steering } from '../types/native.js'
import type { Cell, NodeBinary, RunPlan } from '../types/plan.js'
import type { CpuSets } from '../types/run.js'
import { connectsFlows } from '../plan/udp.js'
import { whileSlow } from './whileSlow.js'

/**
 * Where this run's parts live and what watches them: the load generator here or in another namespace;
 * the samplers (the registry's by default); the server and client hosts of a run over several machines.
 */
export interface RunContext { client?: ClientPlace, samplers?: readonly Sampler[], hosts?: RunHosts }

/** The cell's load side: the client hosts when the run has some, else a load generator process here (or in the client namespace). */
export function openLoad (ctx: RunContext, cpus: CpuSets): CellLoad {
  const clients = ctx.hosts?.clients ?? []
  return clients.length > 0 ? new RemoteLoads(clients) : LoadProcess.start(ctx.client, cpus.client)
}

/** How often a start that has not ended is said (a busy host: the user sees the run waiting, and until when). */
export const SLOW_START_EVERY_MS = 15_000

interface StartOptions { label: string, steer: Steering | undefined, cpus: CpuSets, node: NodeBinary, timeoutMs: number, signal: AbortSignal }

/** The cell's listeners, started; `onSlow` is told every SLOW_START_EVERY_MS while they are still starting, with the seconds so far and the deadline's. */
export async function startListeners (plan: RunPlan, cell: Cell, ctx: RunContext, o: StartOptions & { onSlow?: (elapsedSec: number, deadlineSec: number) => void }): Promise<CellListeners> {
  const { onSlow } = o
  return await whileSlow(startHere(plan, cell, ctx, o), SLOW_START_EVERY_MS, onSlow === undefined ? undefined : s => onSlow(s, Math.round(o.timeoutMs / 1000)))
}

/** The cell's listeners: on the server host when there is one, else a group here. */
async function startHere (plan: RunPlan, cell: Cell, ctx: RunContext, o: StartOptions): Promise<CellListeners> {
  const spec = {
    mode: cell.mode, workers: cell.workers, host: plan.host, port: plan.port, backlog: plan.backlog, instrument: plan.instrument, workUs: plan.workUs, label: o.label,
    ...(plan.stall === null ? {} : { stall: plan.stall }),
    ...(o.steer === undefined ? {} : { steer: o.steer }),
    ...(o.cpus.listeners === null ? {} : { cpus: o.cpus.listeners }),
    ...(plan.handler === null ? {} : { handler: plan.handler }),
    ...(plan.attribution ? {} : { attribution: false }),
    ...(plan.protocol === 'udp' ? { protocol: 'udp' as const } : {}),
    ...(connectsFlows(plan, cell.mode) ? { udpConnect: true as const } : {})
  }
  const server = ctx.hosts?.server
  if (server !== undefined) return await RemoteListeners.start(server, spec, o.timeoutMs, o.signal)
  return await ListenerGroup.start({ ...spec, ...(plan.node === null ? {} : { node: o.node }) }, o.timeoutMs, o.signal)
}

/** Where the load goes: the target the plan names (a run over several hosts), else this host's listeners. */
export function loadSpec (plan: RunPlan, cell: Cell, port: number): LoadSpec {
  const host = plan.target?.host ?? loadTarget(plan.host)
  return { driver: plan.driver, host, port, connections: cell.connections, churn: plan.churn, pipelining: plan.pipelining ?? 1, rate: plan.rate, durationSec: plan.durationSec, threads: plan.clientThreads, ...(plan.datagramBytes === undefined ? {} : { datagramBytes: plan.datagramBytes }), ...(plan.heavyFlows === undefined ? {} : { heavy: plan.heavyFlows }) }
}
