/**
 * One benchmark run: for each cell of the plan, start fresh listeners and a
 * load generator process, warm up, reset the listeners' counters, load them,
 * collect their stats, stop them, and analyse what they did. The path:
 * plan -> topology -> load -> collect -> analyse. Every phase has a deadline
 * (plan/deadlines.ts); Ctrl-C or SIGTERM (hooks.signal) ends any phase at once.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { judgeCell } from '../analyse/validity.js'
import { account } from '../analyse/accounting.js'
import { bottleneckOf } from '../analyse/bottleneck.js'
import { availableParallelism } from 'node:os'
import { combineByIndex, listenerFigures } from '../collect/listeners.js'
import { abortable, phaseDeadlines } from '../plan/deadlines.js'
import type { PhaseDeadlines } from '../plan/deadlines.js'
import { gridCells } from '../plan/grid.js'
import { HarnessError, InterruptedError, PhaseTimeoutError, RunError } from '../errors.js'
import type { CellListeners } from '../topology/side.js'
import type { CellLoad } from '../load/side.js'
import { hostsRecord } from '../remote/hosts.js'
import type { RunHosts } from '../remote/hosts.js'
import { loadSpec, openLoad, startListeners } from './sides.js'
import type { RunContext } from './sides.js'
import { isReuseportGroup, reuseChoice } from '../topology/kinds/index.js'
import { capabilities } from '../native/index.js'
import { readSysctl } from '../collect/samplers/host.js'
import { helperCpuOf, SAMPLERS } from '../collect/samplers/index.js'
import type { Sampler } from '../collect/samplers/sampler.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { LoadResult, LoadSpec } from '../types/load.js'
import type { Steering } from '../types/native.js'
import type { Cell, Mode, NodeBinary, RunPlan } from '../types/plan.js'
import { nodeAt } from '../proc/node.js'
import type { Bottleneck, CpuSets, HelperCpu, ListenerResult, ModeRun, RestartEvent, Scenario } from '../types/run.js'
import { cpuSetsHere } from '../proc/pinning.js'
import type { CellPosition, RunEvent, SessionEvent } from '../types/events.js'

export interface RunHooks {
  signal?: AbortSignal
  /** Every event of the run; a 'cell-done' comes as soon as a cell is complete (so a cut-short run keeps what it finished). */
  onEvent?: (e: RunEvent) => void
}

/** The engine's hooks with the session's own events as well (skipped, note, analysing). */
export interface SessionRunHooks extends Omit<RunHooks, 'onEvent'> { onEvent?: (e: RunEvent | SessionEvent) => void }

/** The same hooks, with every finished cell passed through `mark` (e.g. to record the variant it belongs to). */
export function markingRuns (hooks: RunHooks, mark: (r: ModeRun) => ModeRun): RunHooks {
  return { ...hooks, onEvent: e => hooks.onEvent?.(e.type === 'cell-done' ? { ...e, run: mark(e.run) } : e) }
}

export type { RunContext } from './sides.js'

/** One cell being run: its plan, its deadlines, its processes, where it stands, and where its events go. */
interface CellRun {
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

const interrupted = (signal: AbortSignal | undefined) => () => new InterruptedError(String(signal?.reason ?? 'signal'))

/**
 * Waits (bounded) until the listeners hold no open connections, so in-flight
 * requests are counted; the whole wait, and every answer, within the stats deadline.
 */
async function settle (c: CellRun): Promise<void> {
  const end = Date.now() + c.d.statsMs
  const pollUntil = Date.now() + 1000
  for (;;) {
    const s = await abortable(c.group.request('stats', Math.max(1, end - Date.now()), 'stats'), c.signal, interrupted(c.signal))
    if (s.every(x => x.stats.open === 0) || Date.now() >= pollUntil) return
    await sleep(50, undefined, { signal: c.signal })
  }
}

function steering (plan: RunPlan, mode: Mode, workers: number): Steering | undefined {
  if (plan.steer === 'none' || !isReuseportGroup(mode)) return undefined
  return plan.steer === 'cpu' ? { kind: 'cpu', groupSize: workers } : { kind: 'index', index: 0 }
}

/** Replaces every listener once, one at a time, spread over the middle of the load. */
async function rollingRestart (c: CellRun, loadStart: number): Promise<RestartEvent[]> {
  const { group, plan } = c
  const events: RestartEvent[] = []
  const spacing = (plan.durationSec * 1000 * 0.5) / group.workers
  await sleep(plan.durationSec * 1000 * 0.25, undefined, { signal: c.signal })
  for (let i = 0; i < group.workers; i++) {
    const atMs = Date.now() - loadStart
    const { drainMs } = await abortable(group.restart(i, plan.restartBusyMs, c.d.restartMs), c.signal, interrupted(c.signal))
    events.push({ index: i, atMs, drainMs })
    c.emit({ type: 'listener-replaced', at: c.at, index: i, drainMs })
    if (i < group.workers - 1) await sleep(spacing, undefined, { signal: c.signal })
  }
  return events
}

/** Warm-up (not counted), then the counters are zeroed. */
async function warmUp (c: CellRun, spec: LoadSpec): Promise<void> {
  c.emit({ type: 'warm-up', at: c.at, seconds: c.plan.warmupSec })
  await c.loadgen.run({ ...spec, durationSec: c.plan.warmupSec }, { name: 'warm-up', what: c.what, deadlineMs: c.d.warmupMs }, c.signal)
  await sleep(200, undefined, { signal: c.signal })
  await settle(c)
  await abortable(c.group.request('reset', c.d.resetMs, 'reset'), c.signal, interrupted(c.signal))
}

/** The measured load (with the rolling restart beside it, when planned), then every listener's final figures. */
async function measure (c: CellRun, spec: LoadSpec): Promise<{ result: LoadResult, restarts: RestartEvent[] | undefined, final: ListenerSnapshot[], samples: Record<string, unknown> }> {
  const { plan, cell } = c
  c.emit({ type: 'load-started', at: c.at, durationSec: plan.durationSec, connections: cell.connections, churn: plan.churn, rate: plan.rate, restart: plan.restart })
  const endSamples = await c.group.beginSamples(plan.queueSampleMs, c.samplers)
  const loadStart = Date.now()
  const loading = c.loadgen.run({ ...spec, durationSec: plan.durationSec }, { name: 'load', what: c.what, deadlineMs: c.d.loadMs }, c.signal,
    t => c.emit({ type: 'tick', at: c.at, elapsedSec: t.elapsedSec, durationSec: plan.durationSec, responses: t.responses }))
  const restarting = plan.restart ? rollingRestart(c, loadStart) : Promise.resolve(undefined)
  const [result, restarts] = await Promise.all([loading, restarting])
  const samples = await endSamples()
  await settle(c)
  const stopped = await c.group.stop(c.d.stopMs)
  if (stopped.missing !== '') throw new PhaseTimeoutError('stop', c.what, c.d.stopMs, `${stopped.missing} did not report final figures`)
  return { result, restarts, final: stopped.snapshots, samples }
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
function assemble (c: CellRun, startedAt: string, readyMs: number, m: Awaited<ReturnType<typeof measure>>): ModeRun {
  const { plan, cell, group } = c
  const choice = group.choice
  const listeners = combineByIndex(m.final, group.retired)
  const { cpu, ...client } = m.result
  const scenario: Scenario = {}
  if (plan.workUs > 0) scenario.workUs = plan.workUs
  if (plan.stall !== null) scenario.stall = plan.stall
  if (steering(plan, cell.mode, cell.workers) !== undefined) scenario.steer = { kind: plan.steer === 'cpu' ? 'cpu' : 'first', detached: listeners[0]?.steering?.detached ?? 'unknown' }
  if (m.restarts !== undefined && m.restarts.length > 0) scenario.restart = restartScenario(plan, m.result, m.restarts)
  const accounting = account({ connections: cell.connections, churn: plan.churn }, m.result, listeners)
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
    ...listenerFigures(listeners, plan.seed),
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

async function runCell (plan: RunPlan, at: CellPosition, hooks: RunHooks, ctx: RunContext, { cpus, node }: { cpus: CpuSets, node: NodeBinary }): Promise<ModeRun> {
  const emit = hooks.onEvent ?? (() => {})
  const { cell } = at
  const { mode, workers } = cell
  const server = ctx.hosts?.server
  const choice = server === undefined ? reuseChoice(mode, capabilities(), node.version) : { option: `chosen on ${server.name}`, note: '' }
  const steer = steering(plan, mode, workers)
  const d = phaseDeadlines(plan, workers)
  const startedAt = new Date().toISOString()
  emit({ type: 'cell-started', at, option: choice.option, note: choice.note, steer: steer === undefined ? null : plan.steer })
  const abort = new AbortController()
  const onOuter = (): void => abort.abort(hooks.signal?.reason)
  hooks.signal?.addEventListener('abort', onOuter, { once: true })
  if (hooks.signal?.aborted === true) onOuter()
  const clients = ctx.hosts?.clients ?? []
  const loadgen = openLoad(ctx, cpus)
  // A client host lost mid-cell ends the cell at once, naming the host.
  let death: HarnessError | undefined
  const dies = (e: HarnessError): void => { death ??= e; abort.abort(e) }
  const unwatch = clients.map(h => h.onLost(dies))
  let group: CellListeners | undefined
  try {
    const t0 = Date.now()
    group = await startListeners(plan, cell, ctx, { label: cellName(cell), steer, cpus, node, timeoutMs: d.startMs, signal: abort.signal })
    const readyMs = Date.now() - t0
    group.onDeath(dies)
    emit({ type: 'cell-ready', at, workers: group.workers, port: group.port, readyMs })
    const c: CellRun = { plan, cell, d, at, what: cellName(cell), emit, signal: abort.signal, group, loadgen, cpus, samplers: ctx.samplers ?? SAMPLERS, node, hosts: ctx.hosts }
    const spec = loadSpec(plan, cell, group.port)
    if (plan.warmupSec > 0) await warmUp(c, spec)
    return assemble(c, startedAt, readyMs, await measure(c, spec))
  } catch (err) {
    await group?.stop(500).catch(() => undefined)
    if (death !== undefined) throw death
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    throw err
  } finally {
    hooks.signal?.removeEventListener('abort', onOuter)
    for (const u of unwatch) u()
    await Promise.all([group?.kill(2000), loadgen.close()])
  }
}

/**
 * Runs every cell of the plan's grid, each with fresh processes and a pause between cells.
 * `resolved` is what the session already resolved (a child run resolves its own).
 */
export async function runPlan (plan: RunPlan, hooks: RunHooks = {}, ctx: RunContext = {}, resolved?: { cpus: CpuSets, node: NodeBinary }): Promise<ModeRun[]> {
  const runs: ModeRun[] = []
  const cells = gridCells(plan)
  const cpus = resolved?.cpus ?? cpuSetsHere(plan)
  const node = resolved?.node ?? nodeAt(plan.node)
  const t0 = Date.now()
  for (const [i, cell] of cells.entries()) {
    if (i > 0 && plan.pauseSec > 0) {
      try {
        await sleep(plan.pauseSec * 1000, undefined, { signal: hooks.signal })
      } catch {
        throw interrupted(hooks.signal)()
      }
    }
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    const at: CellPosition = {
      cell,
      number: i + 1,
      of: cells.length,
      grid: cells.length > plan.modes.length,
      ...(i === 0 ? {} : { leftSec: Math.round(((Date.now() - t0) / i) * (cells.length - i) / 1000) })
    }
    try {
      const run = await runCell(plan, at, hooks, ctx, { cpus, node })
      runs.push(run)
      hooks.onEvent?.({ type: 'cell-done', at, run })
    } catch (err) {
      if (err instanceof HarnessError) throw err
      throw new RunError('RB_LOAD_FAILED', `${cell.mode}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
  }
  return runs
}
