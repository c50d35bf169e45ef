/**
 * One benchmark run: for each cell of the plan, start fresh listeners, warm
 * them until steady, reset their counters, load them, collect their stats,
 * stop them, and analyse what they did; one load generator process serves
 * the whole run, so it stays warm. A plan whose modes run side by side goes
 * to engine/rounds.ts instead. The path: plan -> topology -> load -> collect
 * -> analyse. Every phase has a deadline (plan/deadlines.ts); Ctrl-C or
 * SIGTERM (hooks.signal) ends any phase at once.
 */
import { steerOf } from '../plan/steer.js'
import { setTimeout as sleep } from 'node:timers/promises'
import { abortable, phaseDeadlines } from '../plan/deadlines.js'
import { gridCells, udpMark } from '../plan/grid.js'
import { HarnessError, InterruptedError, PhaseTimeoutError, RunError } from '../errors.js'
import type { CellListeners } from '../topology/side.js'
import { loadSpec, openLoad, startListeners } from './sides.js'
import type { RunContext } from './sides.js'
import { kindOf, reuseChoice } from '../topology/kinds/index.js'
import { capabilities } from '../native/index.js'
import { SAMPLERS } from '../collect/samplers/index.js'
import type { LoadSpec } from '../types/load.js'
import type { NodeBinary, RunPlan } from '../types/plan.js'
import { nodeAt } from '../proc/node.js'
import type { CpuSets, HostPace, ModeRun, RestartEvent, WarmedBefore } from '../types/run.js'
import { measurePace } from '../proc/pace.js'
import { cpuSetsHere } from '../proc/pinning.js'
import type { CellPosition } from '../types/events.js'
import { assemble, cellName, interrupted, runTarget, settle, steering, whileSampled } from './cell.js'
import type { CellRun, Measured } from './cell.js'
import { runRounds } from './rounds.js'
import type { RunHooks, RunShared } from './hooks.js'
export type { RunHooks, RunShared, SessionRunHooks } from './hooks.js'
import { warmedBefore, warmUp } from './warm.js'
import { warmCapSec } from '../plan/estimate.js'
import { missingFeature } from '../kernel/features.js'

/** The same hooks, with every finished cell passed through `mark` (e.g. to record the variant it belongs to). */
export function markingRuns (hooks: RunHooks, mark: (r: ModeRun) => ModeRun): RunHooks {
  return { ...hooks, onEvent: e => hooks.onEvent?.(e.type === 'cell-done' ? { ...e, run: mark(e.run) } : e) }
}

export type { RunContext } from './sides.js'


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

/** The measured load (with the rolling restart beside it, when planned), then every listener's final figures. */
async function measure (c: CellRun, spec: LoadSpec): Promise<Measured> {
  const { plan, cell } = c
  c.emit({ type: 'load-started', at: c.at, durationSec: plan.durationSec, connections: cell.connections, churn: plan.churn, rate: plan.rate, restart: plan.restart })
  const endSamples = await c.group.beginSamples(plan.queueSampleMs, c.samplers, runTarget(c.cpus, c.loadgen))
  // The samples end after the listeners are quiet: the host's speed is timed again then.
  const { value: [result, restarts], samples } = await whileSampled(endSamples, async () => {
    const loadStart = Date.now()
    const loading = c.loadgen.run({ ...spec, durationSec: plan.durationSec }, { name: 'load', what: c.what, deadlineMs: c.d.loadMs }, c.signal,
      t => c.emit({ type: 'tick', at: c.at, elapsedSec: t.elapsedSec, durationSec: plan.durationSec, responses: t.responses }))
    const restarting = plan.restart ? rollingRestart(c, loadStart) : Promise.resolve(undefined)
    const both = await Promise.all([loading, restarting])
    await settle(c)
    return both
  })
  const stopped = await c.group.stop(c.d.stopMs)
  if (stopped.missing !== '') throw new PhaseTimeoutError('stop', c.what, c.d.stopMs, `${stopped.missing} did not report final figures`)
  return { result, restarts, final: stopped.snapshots, samples }
}

/** What every cell of a run shares: the CPU sets, the listeners' Node, the run's one load side. */

/** One mode and configuration, whatever the trial: steady state is judged once per key (engine/warm.ts). */
const configKey = (c: { mode: string, workers: number, connections: number }): string => `${c.mode} ${c.workers} ${c.connections}`

/** One cell with fresh listeners; `warmed` holds the first trial's warm-up of each mode and configuration, for the later ones. */
async function runCell (plan: RunPlan, at: CellPosition, hooks: RunHooks, ctx: RunContext, { cpus, node, loadgen, pace }: RunShared, warmed: Map<string, WarmedBefore>): Promise<ModeRun> {
  const emit = hooks.onEvent ?? (() => {})
  const { cell } = at
  const { mode, workers } = cell
  const server = ctx.hosts?.server
  const choice = server === undefined ? reuseChoice(kindOf(mode), capabilities(), node.version, missingFeature) : { option: `chosen on ${server.name}`, note: '' }
  const steer = steering(plan, mode, workers)
  const d = phaseDeadlines(plan, workers, undefined, pace)
  const startedAt = new Date().toISOString()
  emit({ type: 'cell-started', at, option: choice.option, note: choice.note, steer: steer === undefined ? null : steerOf(plan, mode) })
  const abort = new AbortController()
  const onOuter = (): void => abort.abort(hooks.signal?.reason)
  hooks.signal?.addEventListener('abort', onOuter, { once: true })
  if (hooks.signal?.aborted === true) onOuter()
  const clients = ctx.hosts?.clients ?? []
  // A client host lost mid-cell ends the cell at once, naming the host.
  let death: HarnessError | undefined
  const dies = (e: HarnessError): void => { death ??= e; abort.abort(e) }
  const unwatch = clients.map(h => h.onLost(dies))
  let group: CellListeners | undefined
  try {
    const t0 = Date.now()
    const onSlow = (elapsedSec: number, deadlineSec: number): void => emit({ type: 'cell-slow', at, elapsedSec, deadlineSec })
    group = await startListeners(plan, cell, ctx, { label: cellName(cell), steer, cpus, node, timeoutMs: d.startMs, signal: abort.signal, onSlow })
    const readyMs = Date.now() - t0
    pace.firstReadyMs ??= readyMs
    group.onDeath(dies)
    emit({ type: 'cell-ready', at, workers: group.workers, port: group.port, readyMs })
    const c: CellRun = { plan, cell, d, at, what: cellName(cell), emit, signal: abort.signal, group, loadgen, cpus, samplers: ctx.samplers ?? SAMPLERS, node, hosts: ctx.hosts }
    const spec = loadSpec(plan, cell, group.port)
    const warmup = plan.warmupSec > 0 ? await warmUp(c, spec, warmCapSec(plan), warmed.get(configKey(cell)) ?? null) : undefined
    const before = warmup === undefined || warmed.has(configKey(cell)) ? null : warmedBefore(warmup)
    if (before !== null) warmed.set(configKey(cell), before)
    const run = assemble(c, startedAt, readyMs, await measure(c, spec))
    return warmup === undefined ? run : { ...run, warmup }
  } catch (err) {
    await group?.stop(500).catch(() => undefined)
    if (death !== undefined) throw death
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    throw err
  } finally {
    hooks.signal?.removeEventListener('abort', onOuter)
    for (const u of unwatch) u()
    await group?.kill(2000)
  }
}

/** What the session resolved once for a plan: the CPU sets and the listeners' Node (and the host's pace, where measured). */
export interface Resolved { cpus: CpuSets, node: NodeBinary, pace?: HostPace }

/**
 * Runs the plan: side by side in rounds (engine/rounds.ts), or every cell of its grid with fresh
 * listeners and a pause between cells; one load side for the whole run either way.
 * `resolved` is what the session already resolved (a child run resolves its own).
 */
export async function runPlan (plan: RunPlan, hooks: RunHooks = {}, ctx: RunContext = {}, resolved?: Resolved): Promise<ModeRun[]> {
  const startedAt = Date.now()
  const cpus = resolved?.cpus ?? cpuSetsHere(plan)
  const node = resolved?.node ?? nodeAt(plan.node)
  const pace = { ...(resolved?.pace ?? await measurePace(node)) }
  const loadgen = openLoad(ctx, cpus)
  try {
    const shared = { cpus, node, loadgen, pace }
    return plan.interleave === 'rounds' ? await runRounds(plan, hooks, ctx, shared, startedAt) : await runCells(plan, hooks, ctx, shared)
  } finally {
    await loadgen.close()
  }
}

/** Every cell of the grid in turn, with a pause between cells. */
async function runCells (plan: RunPlan, hooks: RunHooks, ctx: RunContext, shared: RunShared): Promise<ModeRun[]> {
  const runs: ModeRun[] = []
  const cells = gridCells(plan)
  const warmed = new Map<string, WarmedBefore>()
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
      ...udpMark(plan),
      ...(i === 0 ? {} : { leftSec: Math.round(((Date.now() - t0) / i) * (cells.length - i) / 1000) })
    }
    try {
      const run = await runCell(plan, at, hooks, ctx, shared, warmed)
      runs.push(run)
      hooks.onEvent?.({ type: 'cell-done', at, run })
    } catch (err) {
      if (err instanceof HarnessError) throw err
      throw new RunError('RB_LOAD_FAILED', `${cell.mode}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
  }
  return runs
}
