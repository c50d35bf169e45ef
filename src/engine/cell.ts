/**
 * One cell's record, the same whether it ran on its own (engine/run.ts) or
 * as a slice of modes side by side (engine/rounds.ts): what the cell is
 * while it runs, the settling of in-flight requests, and the record built
 * from what the client, the listeners and the samplers reported.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { availableParallelism } from 'node:os'
import { judgeCell } from '../analyse/validity.js'
import { account } from '../analyse/accounting.js'
import { accountDatagrams } from '../analyse/datagramAccounting.js'
import { bottleneckOf } from '../analyse/bottleneck.js'
import { combineByIndex } from '../collect/listeners.js'
import { flowsPlaced, listenerFigures } from '../analyse/listenerFigures.js'
import { abortable } from '../plan/deadlines.js'
import type { PhaseDeadlines } from '../plan/deadlines.js'
import { InterruptedError } from '../errors.js'
import type { CellListeners } from '../topology/side.js'
import type { CellLoad } from '../load/side.js'
import { listenQueues } from '../native/index.js'
import { hostsRecord } from '../remote/hosts.js'
import type { RunHosts } from '../remote/hosts.js'
import { steerOf } from '../plan/steer.js'
import { steeringFor } from '../topology/steer/policies.js'
import { stallShareOf, stallWindowsOf, steeringRecord } from '../analyse/steering.js'
import { readSysctl } from '../collect/samplers/host.js'
import { helperCpuOf } from '../collect/samplers/index.js'
import type { RunSampleTarget, Sampler } from '../collect/samplers/sampler.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { LoadResult } from '../types/load.js'
import type { Steering } from '../types/native.js'
import type { Cell, Mode, NodeBinary, RunPlan } from '../types/plan.js'
import type { Bottleneck, CpuSets, HelperCpu, ListenerResult, ModeRun, RestartEvent, Scenario } from '../types/run.js'
import type { CellPosition, RunEvent } from '../types/events.js'

/** One cell being run: its plan, its deadlines, its processes, where it stands, and where its events go. */
export interface CellRun {
  plan: RunPlan
  cell: Cell
  d: PhaseDeadlines
  at: CellPosition
  what: string
  emit: (e: RunEvent) => void
  samplers: readonly Sampler[]
  signal: AbortSignal
  group: CellListeners
  loadgen: CellLoad
  cpus: CpuSets
  hosts: RunHosts | undefined
  /** The Node the listeners run under. */
  node: NodeBinary
}

/** What a measured load gave: the client's result, the restarts beside it, every listener's figures, the samples. */
export interface Measured { result: LoadResult, restarts: RestartEvent[] | undefined, final: ListenerSnapshot[], samples: Record<string, unknown> }

export const interrupted = (signal: AbortSignal | undefined) => () => new InterruptedError(String(signal?.reason ?? 'signal'))

/**
 * Runs `body` while the cell's samplers (begun, `end` their end) run, and ends them however it ends: the samples
 * after a body that finished, nothing after one that failed, but no sampler outlives a cell cut short (one
 * left running kept an aborted API run's process alive).
 */
export async function whileSampled<T> (end: () => Promise<Record<string, unknown>>, body: () => Promise<T>): Promise<{ value: T, samples: Record<string, unknown> }> {
  let value: T
  try {
    value = await body()
  } catch (err) {
    await end().catch(() => undefined)
    throw err
  }
  return { value, samples: await end() }
}

/** Connections the kernel has completed and holds in the accept queues of `port`'s listening sockets here (none where sock_diag cannot say). */
function stillQueued (port: number): number {
  try {
    return listenQueues(port).reduce((a, q) => a + q.queued, 0)
  } catch {
    return 0
  }
}

/**
 * Waits (bounded) until the listeners hold no open connections and the kernel no connection waiting to be
 * accepted, so in-flight requests are counted and a connection still queued is not taken for one another
 * process accepted (on a slow host a listener may accept its last connections after the load; read only
 * where the listeners run on this host); the whole
 * wait, and every answer, within the stats deadline. Half of it at most is spent waiting.
 */
export async function settle (c: CellRun): Promise<void> {
  const end = Date.now() + c.d.statsMs
  const pollUntil = Date.now() + Math.max(1000, c.d.statsMs / 2)
  let received: number | undefined
  for (;;) {
    const s = await abortable(c.group.request('stats', Math.max(1, end - Date.now()), 'stats'), c.signal, interrupted(c.signal))
    const queued = c.hosts?.server === undefined ? stillQueued(c.group.port) : 0
    const before = received
    received = datagramsReceived(s)
    if ((s.every(x => x.stats.open === 0) && queued === 0 && datagramsSettled(s, before, received)) || Date.now() >= pollUntil) return
    await sleep(50, undefined, { signal: c.signal })
  }
}

/** The datagrams a UDP group's listeners have received (undefined for TCP). */
function datagramsReceived (s: readonly ListenerSnapshot[]): number | undefined {
  return s.some(x => x.stats.udp !== undefined) ? s.reduce((a, x) => a + (x.stats.udp?.datagrams ?? 0), 0) : undefined
}

/**
 * UDP: nothing left unread in the group's sockets and no datagram received since the last look, so a datagram
 * still queued at the stop is counted in its own cell, not in the next one's after the counters reset (on a
 * slow host that read as datagrams no client sent). TCP: always.
 */
function datagramsSettled (s: readonly ListenerSnapshot[], before: number | undefined, now: number | undefined): boolean {
  if (now === undefined) return true
  return before === now && s.every(x => (x.stats.udp?.queued ?? 0) === 0)
}

/** The steering program a group gets from the plan where its kind can attach one (kinds' `steerable`); none for other kinds. */
export function steering (plan: RunPlan, mode: Mode, workers: number): Steering | undefined {
  return steeringFor(steerOf(plan, mode), workers, plan.dumpSteering === true)
}

/** The cell's steering record: the policy, whether listener 0 detached it, an eBPF program's final state. */
function steerScenario (plan: RunPlan, cell: Cell, listeners: readonly ListenerResult[], snapshots: readonly ListenerSnapshot[]): Scenario['steer'] {
  const policy = steerOf(plan, cell.mode)
  if (policy === 'none') return undefined
  const program = steeringRecord(snapshots, plan.durationSec)
  return { kind: policy, detached: listeners[0]?.steering?.detached ?? 'not yet', ...(program === undefined ? {} : { program }) }
}

function restartScenario (plan: RunPlan, result: LoadResult, restarts: RestartEvent[]): Scenario['restart'] {
  const first = restarts[0]
  const last = restarts[restarts.length - 1]
  const windowMs: [number, number] = [first?.atMs ?? 0, (last?.atMs ?? 0) + (last?.drainMs ?? 0) + 500]
  const inWindow = result.errorTimesMs.filter(t => t >= windowMs[0] && t <= windowMs[1]).length
  return { events: restarts, busyMs: plan.restartBusyMs, windowMs, errorsInWindow: inWindow, errorsOutsideWindow: result.errorTimesMs.length - inWindow, errorCodes: result.errorCodes, tcpMigrateReq: readSysctl('net.ipv4.tcp_migrate_req') }
}

/**
 * Which side limited the cell: the CPU each side used against what it could use (one core per client
 * thread; its pinned set, or its host's CPUs). The listener side includes the kind's helpers (the cluster primary).
 */
function cellBottleneck (c: CellRun, load: LoadResult, listeners: readonly ListenerResult[], helpers: HelperCpu | undefined): Bottleneck {
  const cores = (set: number[] | null): number => set?.length ?? availableParallelism()
  const clientHostCpus = c.hosts?.clients.map(h => h.hello?.facts.cpus ?? 1) ?? []
  const clientCpus = clientHostCpus.length > 0 ? Math.min(...clientHostCpus) : cores(c.cpus.client)
  return bottleneckOf({
    clientCoreShare: load.cpu.coreShare,
    clientCores: Math.min(c.plan.clientThreads, clientCpus),
    ...(load.cpu.loopUtilization === undefined ? {} : { clientLoops: load.cpu.loopUtilization }),
    listenerCpuMs: listeners.reduce((a, l) => a + l.cpuMs, 0) + (helpers?.cpuMs ?? 0),
    durationSec: c.plan.durationSec,
    workers: c.group.workers + (helpers?.pids.length ?? 0),
    listenerCpus: c.hosts?.server?.hello?.facts.cpus ?? cores(c.cpus.listeners),
    rateMet: c.plan.rate > 0 && load.rps >= 0.99 * c.plan.rate
  })
}

/** The cell's record from what the client and the listeners reported. */
export function assemble (c: CellRun, startedAt: string, readyMs: number, m: Measured): ModeRun {
  const { plan, cell, group } = c
  const choice = group.choice
  const listeners = combineByIndex(m.final, group.retired)
  const { cpu, ...client } = m.result
  const scenario: Scenario = {}
  if (plan.workUs > 0) scenario.workUs = plan.workUs
  if (plan.stall !== null) scenario.stall = plan.stall
  const steer = steerScenario(plan, cell, listeners, [...m.final, ...group.retired])
  if (steer !== undefined) scenario.steer = steer
  const share = stallShareOf(stallWindowsOf([...m.final, ...group.retired]))
  if (share !== undefined) scenario.stallShare = share
  if (m.restarts !== undefined && m.restarts.length > 0) scenario.restart = restartScenario(plan, m.result, m.restarts)
  const accounting = m.result.udp === undefined
    ? account({ connections: cell.connections, churn: plan.churn, pipelining: plan.pipelining ?? 1 }, m.result, listeners)
    : accountDatagrams(m.result, listeners)
  const invalid = judgeCell(plan, cell.connections, m.result, accounting)
  const run: ModeRun = {
    mode: cell.mode,
    trial: cell.trial,
    scenario,
    socketOption: choice.option,
    socketNote: choice.note,
    workers: group.workers,
    port: group.port,
    startedAt,
    readyMs,
    load: { connections: cell.connections, durationSec: plan.durationSec, warmupSec: plan.warmupSec, churn: plan.churn, rate: plan.rate },
    client,
    loadGenerator: cpu,
    ...listenerFigures(listeners, plan.seed, flowsPlaced(m.result)),
    accounting,
    ...(invalid === undefined ? {} : { invalid }),
    cpus: c.cpus,
    listenerNode: c.hosts?.server?.hello?.facts.node ?? c.node.version,
    bottleneck: cellBottleneck(c, m.result, listeners, helperCpuOf(m.samples, c.samplers)),
    ...(c.hosts === undefined ? {} : { hosts: hostsRecord(c.hosts, c.loadgen.clientHosts?.() ?? []) }),
    ...(Object.keys(m.samples).length === 0 ? {} : { samples: m.samples })
  }
  return run
}

/** "reuseport (4 workers, 50 connections, trial 2)": how errors name a cell. */
export function cellName (cell: Cell): string {
  return `${cell.mode} (${cell.workers} worker${cell.workers === 1 ? '' : 's'}, ${cell.connections} connection${cell.connections === 1 ? '' : 's'}${cell.trial > 1 ? `, trial ${cell.trial}` : ''})`
}


/** The CPUs a run uses (its client's and listeners' sets; every CPU when either is not pinned) and its other processes, for the samplers. */
export function runTarget (cpus: CpuSets, loadgen: CellLoad, others: () => number[] = () => []): RunSampleTarget {
  const used = cpus.client === null || cpus.listeners === null ? undefined : [...new Set([...cpus.client, ...cpus.listeners])].sort((a, b) => a - b)
  return { ...(used === undefined ? {} : { cpus: used }), ownPids: () => [...(loadgen.pids?.() ?? []), ...others()] }
}
