/**
 * Modes side by side, the load in slices: for each configuration (workers,
 * connections) every mode's listener group starts once, each on its own
 * port, is warmed until steady, and stays up. The one load generator then
 * drives one group at a time for a slice (--slice), in rounds: each round
 * holds every mode once, in a fresh seeded shuffled order, within seconds,
 * so the pairs of a round share the host's speed and slow drift cancels out
 * of their ratios. Each slice is recorded as a run whose trial is its round:
 * the listeners' counters are zeroed before it and read after it, so a
 * mode's slices add up to its totals, checked against the client's counts.
 * Groups not being loaded are idle; what they spend meanwhile is recorded.
 * When the rounds stop is engine/stopping.ts's: the planned ones, reruns of
 * rounds the host changed within (--unstable rerun), more until a precision
 * is reached (--precision), none past a budget (--max-time).
 */
import { steerOf } from '../plan/steer.js'
import { HarnessError, InterruptedError, RunError } from '../errors.js'
import { abortable, phaseDeadlines } from '../plan/deadlines.js'
import { gridCells, plannedRuns, udpMark } from '../plan/grid.js'
import { processTicks, USER_HZ } from '../proc/cpuTime.js'
import { shuffle } from '../random.js'
import { SAMPLERS } from '../collect/samplers/index.js'
import { capabilities } from '../native/index.js'
import { kindOf, reuseChoice } from '../topology/kinds/index.js'
import type { CellListeners } from '../topology/side.js'
import { assemble, cellName, interrupted, runTarget, settle, steering, whileSampled } from './cell.js'
import { afterRound, roundsFor, stillNeeded, stopOf } from './stopping.js'
import type { Rounds } from './stopping.js'
import type { StopReason } from '../types/docs.js'
import type { CellRun } from './cell.js'
import type { RunContext } from './sides.js'
import { loadSpec, startListeners } from './sides.js'
import { warmUp } from './warm.js'
import { warmCapSec } from '../plan/estimate.js'
import type { RunHooks, RunShared } from './hooks.js'
import type { CellPosition } from '../types/events.js'
import type { Cell, RunPlan } from '../types/plan.js'
import type { ModeRun, WarmupRecord } from '../types/run.js'
import { missingFeature } from '../kernel/features.js'

/** One mode's group of a configuration, up for all its rounds. */
interface Arm { c: CellRun, readyMs: number, warmup?: WarmupRecord }

/** Where the rounds stand: runs recorded so far, out of how many, since when. */
/**
 * Slices done of all planned, with the wall time slices took and the time configurations took to
 * start and warm: the time left is each one's mean times what remains of it (warm-ups are no slices:
 * counted as slices, eleven modes' warm-ups made the first estimate hours).
 */
interface Progress { done: number, of: number, sliceMs: number, setupMs: number, configsSetUp: number, configs: number }

/** The plan's configurations, each with its modes' cells (trial 1), in the grid's seeded order. */
function configurations (plan: RunPlan): Cell[][] {
  const out = new Map<string, Cell[]>()
  for (const cell of gridCells({ ...plan, trials: 1 })) {
    const key = `${cell.workers}|${cell.connections}`
    out.set(key, [...(out.get(key) ?? []), cell])
  }
  return [...out.values()]
}

function position (cell: Cell, p: Progress, plan: Pick<RunPlan, 'protocol'>): CellPosition {
  const setupLeft = p.configsSetUp === 0 ? 0 : (p.setupMs / p.configsSetUp) * (p.configs - p.configsSetUp)
  const left = p.done === 0 ? {} : { leftSec: Math.round(((p.sliceMs / p.done) * (p.of - p.done) + setupLeft) / 1000) }
  return { cell, number: p.done + 1, of: p.of, grid: true, slice: true, ...left, ...udpMark(plan) }
}

/** CPU time of these processes so far, ms (those gone count nothing). */
const cpuMsOf = (pids: readonly number[]): number => pids.reduce((a, p) => a + (processTicks(p) ?? 0), 0) * 1000 / USER_HZ

/** Starts one mode's group (its own port: the plan's for the first mode, a free one for the others). */
async function startArm (plan: RunPlan, cell: Cell, first: boolean, hooks: RunHooks, ctx: RunContext, shared: RunShared, signal: AbortSignal, p: Progress, groups: CellListeners[]): Promise<Arm> {
  const emit = hooks.onEvent ?? (() => {})
  const at = position(cell, p, plan)
  const choice = reuseChoice(kindOf(cell.mode), capabilities(), shared.node.version, missingFeature)
  const steer = steering(plan, cell.mode, cell.workers)
  const d = phaseDeadlines(plan, cell.workers, undefined, shared.pace)
  emit({ type: 'cell-started', at, option: choice.option, note: choice.note, steer: steer === undefined ? null : steerOf(plan, cell.mode) })
  const t0 = Date.now()
  const onSlow = (elapsedSec: number, deadlineSec: number): void => emit({ type: 'cell-slow', at, elapsedSec, deadlineSec })
  const group = await startListeners({ ...plan, port: first ? plan.port : 0 }, cell, ctx, { label: cellName(cell), steer, cpus: shared.cpus, node: shared.node, timeoutMs: d.startMs, signal, onSlow })
  groups.push(group)
  const readyMs = Date.now() - t0
  shared.pace.firstReadyMs ??= readyMs
  emit({ type: 'cell-ready', at, workers: group.workers, port: group.port, readyMs })
  const c: CellRun = { plan: { ...plan, durationSec: plan.sliceSec }, cell, d, at, what: cellName(cell), emit, signal, group, loadgen: shared.loadgen, cpus: shared.cpus, samplers: ctx.samplers ?? SAMPLERS, node: shared.node, hosts: undefined }
  return { c, readyMs }
}

/** One slice: counters zeroed, one slice of load, the samples around it, every listener's figures after it. */
async function slice (arm: Arm, round: number, place: number, others: () => number[], p: Progress): Promise<ModeRun> {
  const c: CellRun = { ...arm.c, cell: { ...arm.c.cell, trial: round }, at: position({ ...arm.c.cell, trial: round }, p, arm.c.plan) }
  const { plan, group, signal } = c
  await abortable(group.request('reset', c.d.resetMs, 'reset'), signal, interrupted(signal))
  const startedAt = new Date().toISOString()
  c.emit({ type: 'load-started', at: c.at, durationSec: plan.sliceSec, connections: c.cell.connections, churn: plan.churn, rate: plan.rate, restart: false })
  const endSamples = await group.beginSamples(plan.queueSampleMs, c.samplers, runTarget(c.cpus, c.loadgen, others))
  const { value: { result, idleCpuMs }, samples } = await whileSampled(endSamples, async () => {
    const idleBefore = cpuMsOf(others())
    const spec = loadSpec(plan, c.cell, group.port)
    const result = await c.loadgen.run({ ...spec, durationSec: plan.sliceSec }, { name: 'load', what: c.what, deadlineMs: plan.sliceSec * 1000 + c.d.shortLoadGraceMs }, signal,
      t => c.emit({ type: 'tick', at: c.at, elapsedSec: t.elapsedSec, durationSec: plan.sliceSec, responses: t.responses }))
    const idleCpuMs = Math.max(0, Math.round(cpuMsOf(others()) - idleBefore))
    // The host's speed is timed again once the listeners are quiet, so it does not compete with their last responses.
    await settle(c)
    return { result, idleCpuMs }
  })
  const final = await abortable(group.request('stats', c.d.statsMs, 'stats'), signal, interrupted(signal))
  const run = assemble(c, startedAt, arm.readyMs, { result, restarts: undefined, final, samples })
  return { ...run, slice: { round, position: place, idleCpuMs }, ...(arm.warmup === undefined ? {} : { warmup: arm.warmup }) }
}

/** The rounds of one configuration's warm groups until engine/stopping.ts says stop; `onRound` hears each round's number as it begins. */
async function roundsUntilStop (plan: RunPlan, cells: Cell[], arms: Arm[], state: Rounds, hooks: RunHooks, p: Progress, runs: ModeRun[], onRound: (n: number) => void): Promise<void> {
  const pidsBut = (arm: Arm): () => number[] => () => arms.filter(a => a !== arm).flatMap(a => a.c.group.processes?.() ?? [])
  const mine: ModeRun[] = []
  for (let round = 1, next: StopReason | 'go' = 'go'; next === 'go'; round++) {
    onRound(round)
    const from = Date.now()
    const thisRound: ModeRun[] = []
    for (const [i, arm] of shuffle(arms, plan.seed * 7919 + round * 131 + cells.length).entries()) {
      const sliceFrom = Date.now()
      const run = await slice(arm, round, i + 1, pidsBut(arm), p)
      runs.push(run)
      mine.push(run)
      thisRound.push(run)
      p.sliceMs += Date.now() - sliceFrom
      p.done++
      hooks.onEvent?.({ type: 'cell-done', at: { ...arm.c.at, cell: { ...arm.c.cell, trial: round }, number: p.done }, run })
    }
    const last = state.last
    next = afterRound(state, round, mine, thisRound, Date.now() - from)
    // The count ahead grows with reruns and with each round a precision asks for past the planned ones, and loses what a stop leaves unrun.
    p.of += (state.last - last) * arms.length + (next === 'go' && round >= state.last ? arms.length : 0)
    if (next !== 'go') p.of -= Math.max(0, state.last - round) * arms.length
    const first = arms[0]
    if (plan.precision !== null && plan.precision !== undefined && first !== undefined) {
      hooks.onEvent?.({ type: 'round-done', at: { ...first.c.at, cell: { ...first.c.cell, trial: round }, number: p.done, of: p.of }, round, precision: plan.precision, standing: state.standing, more: stillNeeded(state) })
    }
    if (next !== 'go') recordStop(plan, state, cells, next, round, hooks, p)
  }
}

/** One configuration: every mode's group up, warmed, then the rounds until they stop (engine/stopping.ts); every group ends however this ends. */
async function runConfiguration (plan: RunPlan, cells: Cell[], hooks: RunHooks, ctx: RunContext, shared: RunShared, p: Progress, runs: ModeRun[], endsAt: number): Promise<void> {
  const abort = new AbortController()
  const onOuter = (): void => abort.abort(hooks.signal?.reason)
  hooks.signal?.addEventListener('abort', onOuter, { once: true })
  if (hooks.signal?.aborted === true) onOuter()
  let death: HarnessError | undefined
  const groups: CellListeners[] = []
  const setUpFrom = Date.now()
  const state = roundsFor(plan, setUpFrom, endsAt)
  let round = 0
  try {
    const arms: Arm[] = []
    for (const [i, cell] of cells.entries()) {
      const arm = await startArm(plan, cell, i === 0, hooks, ctx, shared, abort.signal, p, groups)
      arm.c.group.onDeath(e => { death ??= e; abort.abort(e) })
      arms.push(arm)
    }
    for (const arm of shuffle(arms, plan.seed * 613 + cells.length)) {
      if (plan.warmupSec > 0) arm.warmup = await warmUp(arm.c, loadSpec(plan, arm.c.cell, arm.c.group.port), warmCapSec(plan))
    }
    p.setupMs += Date.now() - setUpFrom
    p.configsSetUp++
    await roundsUntilStop(plan, cells, arms, state, hooks, p, runs, n => { round = n })
  } catch (err) {
    if (round > 0) recordStop(plan, state, cells, 'interrupted', round, hooks, p)
    if (death !== undefined) throw death
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    if (err instanceof HarnessError) throw err
    throw new RunError('RB_LOAD_FAILED', `${cells.map(c => c.mode).join(', ')} side by side: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  } finally {
    hooks.signal?.removeEventListener('abort', onOuter)
    await Promise.all(groups.map(g => g.kill(2000)))
  }
}

/** Where a configuration stopped, told to the session when the run asked for a precision or a budget. */
function recordStop (plan: RunPlan, state: Rounds, cells: Cell[], reason: StopReason, round: number, hooks: RunHooks, p: Progress): void {
  const first = cells[0]
  if (first === undefined || ((plan.precision ?? null) === null && (plan.maxTimeSec ?? null) === null)) return
  hooks.onEvent?.({ type: 'rounds-stopped', at: { ...position({ ...first, trial: round }, p, plan), number: p.done }, stop: stopOf(state, first.workers, first.connections, reason, round) })
}

/** Every configuration of the plan, its modes side by side in rounds; the runs finished so far are each announced as they end. */
export async function runRounds (plan: RunPlan, hooks: RunHooks, ctx: RunContext, shared: RunShared, startedAt = Date.now()): Promise<ModeRun[]> {
  const runs: ModeRun[] = []
  const all = configurations(plan)
  const p: Progress = { done: 0, of: plannedRuns(plan), sliceMs: 0, setupMs: 0, configsSetUp: 0, configs: all.length }
  // The budget, where there is one, is shared out: each configuration gets an even share of what is left when it begins.
  const budgetEnds = plan.maxTimeSec === null || plan.maxTimeSec === undefined ? Infinity : startedAt + plan.maxTimeSec * 1000
  for (const [i, cells] of all.entries()) {
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    const now = Date.now()
    await runConfiguration(plan, cells, hooks, ctx, shared, p, runs, now + (budgetEnds - now) / (all.length - i))
  }
  return runs
}
