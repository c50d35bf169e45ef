/**
 * One benchmark run: for each mode of the plan, start fresh listeners, warm
 * up, reset their counters, load them, collect their stats, stop them, and
 * analyse what they did. The path: plan -> topology -> load -> collect -> analyse.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { fairness } from './analyse/fairness.js'
import { account } from './analyse/accounting.js'
import type { Accounting } from './analyse/accounting.js'
import { combineByIndex } from './collect/listeners.js'
import type { ListenerResult } from './collect/listeners.js'
import { gridCells } from './grid.js'
import type { Cell } from './grid.js'
import type { Fairness } from './analyse/fairness.js'
import { encodeHistogram, mergeHistograms, summarize } from './collect/histogram.js'
import type { LatencySummary } from './collect/histogram.js'
import { HarnessError, InterruptedError, RunError } from './errors.js'
import { runLoad } from './load/autocannon.js'
import type { LoadOptions, LoadResult } from './load/autocannon.js'
import { clientNetns, runLoadInNetns } from './load/remote.js'
import type { RunPlan } from './plan.js'
import type { Mode } from './protocol.js'
import { loadTarget } from './topology/address.js'
import { ListenerGroup } from './topology/group.js'
import { reuseChoice } from './topology/options.js'
import { describeChurn } from './report/scenario.js'
import type { ReuseChoice } from './topology/options.js'
import { capabilities } from './native/index.js'
import type { Steering } from './native/index.js'
import { readSysctl } from './collect/host.js'

/** What a run did beyond plain load, and what that showed. */
export interface Scenario {
  workUs?: number
  stall?: { index: number, forMs: number, everyMs: number }
  steer?: { kind: 'cpu' | 'first', detached: string }
  restart?: {
    events: Array<{ index: number, atMs: number, drainMs: number }>
    /** How long each old listener was kept busy before closing, ms. */
    busyMs: number
    /** From the first replacement starting to the last old listener gone, ms from the start of the load. */
    windowMs: [number, number]
    errorsInWindow: number
    errorsOutsideWindow: number
    errorCodes: Record<string, number>
    /** net.ipv4.tcp_migrate_req in the namespace the run used, when readable. */
    tcpMigrateReq: string | null
  }
}

export interface ModeRun {
  mode: Mode
  /** Set when the run repeats another under a different setting, e.g. 'tcp_migrate_req=1 (own netns)'. */
  variant?: string
  /** Set when the load generator ran in a network namespace of its own, across a veth link. */
  clientHost?: { clientNs: string, serverNs: string, serverAddress: string, clientAddresses: string[] }
  /** 1-based trial number of this grid cell. */
  trial: number
  scenario: Scenario
  /** The port-sharing option the listeners used, and what to know about it on this OS. */
  socketOption: ReuseChoice['option']
  socketNote: string
  workers: number
  port: number
  startedAt: string
  /** Time from starting the processes until every listener was listening. */
  readyMs: number
  load: { connections: number, durationSec: number, warmupSec: number, churn: number, rate: number }
  client: Omit<LoadResult, 'cpu'>
  loadGenerator: LoadResult['cpu']
  listeners: ListenerResult[]
  /** All listeners' server-side latency merged, microseconds. */
  serverLatencyUs: LatencySummary
  serverHistogram: string
  /** Over the listeners' accepts (the contract's fairness). */
  fairness: Fairness
  /** Over the listeners' requests. */
  requestFairness: Fairness
  accounting: Accounting
}

export interface RunHooks {
  signal?: AbortSignal
  /** A progress line; `transient` ones (per-second ticks) may be overwritten or dropped. */
  progress?: (line: string, transient?: boolean) => void
  /** Called with each mode's run as soon as it is complete (so a cut-short run keeps what it finished). */
  onRun?: (run: ModeRun) => void
}

/** Waits (bounded) until the listeners hold no open connections, so in-flight requests are counted. */
async function drain (group: ListenerGroup): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const s = await group.request('stats')
    if (s.every(x => x.stats.open === 0)) return
    await sleep(50)
  }
}

function steering (plan: RunPlan, mode: Mode, workers: number): Steering | undefined {
  if (plan.steer === 'none' || (mode !== 'reuseport' && mode !== 'reuseport-plain')) return undefined
  return plan.steer === 'cpu' ? { kind: 'cpu', groupSize: workers } : { kind: 'index', index: 0 }
}

/** Replaces every listener once, one at a time, spread over the middle of the load. */
async function rollingRestart (group: ListenerGroup, durationSec: number, busyMs: number, loadStart: number, say: (s: string) => void, tag: string, signal: AbortSignal): Promise<Array<{ index: number, atMs: number, drainMs: number }>> {
  const events: Array<{ index: number, atMs: number, drainMs: number }> = []
  const spacing = (durationSec * 1000 * 0.5) / group.workers
  await sleep(durationSec * 1000 * 0.25, undefined, { signal })
  for (let i = 0; i < group.workers; i++) {
    const atMs = Date.now() - loadStart
    const { drainMs } = await group.restart(i, busyMs)
    events.push({ index: i, atMs, drainMs })
    say(`${tag} ${group.mode}: replaced listener ${i} (old one drained in ${drainMs} ms)`)
    if (i < group.workers - 1) await sleep(spacing, undefined, { signal })
  }
  return events
}

async function runMode (plan: RunPlan, cell: Cell, hooks: RunHooks, tag: string): Promise<ModeRun> {
  const say = hooks.progress ?? (() => {})
  const { mode, workers, connections } = cell
  const choice = reuseChoice(mode, capabilities())
  const steer = steering(plan, mode, workers)
  const startedAt = new Date().toISOString()
  say(`${tag} ${mode}: starting ${workers} listener process${workers === 1 ? '' : 'es'} (${choice.option}${steer === undefined ? '' : `, steered by CBPF: ${plan.steer}`})${choice.note === '' ? '' : ` - ${choice.note}`}`)
  const t0 = Date.now()
  const group = await ListenerGroup.start({
    mode, workers, host: plan.host, port: plan.port, backlog: plan.backlog, instrument: plan.instrument, workUs: plan.workUs,
    ...(plan.stall === null ? {} : { stall: plan.stall }),
    ...(steer === undefined ? {} : { steer })
  })
  const readyMs = Date.now() - t0
  const abort = new AbortController()
  let death: RunError | undefined
  group.onDeath(e => { death ??= e; abort.abort() })
  const onOuter = (): void => abort.abort()
  hooks.signal?.addEventListener('abort', onOuter, { once: true })
  const target = { host: loadTarget(plan.host), port: group.port, connections, churn: plan.churn, rate: plan.rate, signal: abort.signal }
  try {
    if (hooks.signal?.aborted === true) abort.abort()
    say(`${tag} ${mode}: ${workers} listening on port ${group.port} (ready in ${readyMs} ms)`)
    const remote = clientNetns()
    const load = (o: LoadOptions): Promise<LoadResult> => remote === undefined ? runLoad(o) : runLoadInNetns(remote.ns, remote.addresses, o)
    if (plan.warmupSec > 0) {
      say(`${tag} ${mode}: warm-up ${plan.warmupSec} s (not counted)`)
      await load({ ...target, durationSec: plan.warmupSec })
      await sleep(200)
      await drain(group)
      await group.request('reset')
    }
    say(`${tag} ${mode}: load ${plan.durationSec} s, ${connections} connections${`, ${describeChurn(plan.churn)}`}${plan.rate > 0 ? `, ${plan.rate} req/s` : ''}${plan.restart ? ', rolling restart' : ''}`)
    const loadStart = Date.now()
    const loading = load({
      ...target,
      durationSec: plan.durationSec,
      onTick: (s, n) => say(`${tag} ${mode}: ${Math.min(s, plan.durationSec).toFixed(0)}/${plan.durationSec} s, ${n} responses`, true)
    })
    const restarting = plan.restart ? rollingRestart(group, plan.durationSec, plan.restartBusyMs, loadStart, say, tag, abort.signal).catch((err: unknown) => { abort.abort(); throw err }) : Promise.resolve(undefined)
    const [result, restarts] = await Promise.all([loading, restarting])
    await drain(group)
    const final = await group.stop()
    if (final === undefined) throw new RunError('RB_LISTENER_TIMEOUT', `${mode}: listeners did not report their final stats`)
    const listeners = combineByIndex(final, group.retired)
    const merged = mergeHistograms(listeners.map(l => l.histogram))
    const { cpu, ...client } = result
    const scenario: Scenario = {}
    if (plan.workUs > 0) scenario.workUs = plan.workUs
    if (plan.stall !== null) scenario.stall = plan.stall
    if (steer !== undefined) scenario.steer = { kind: plan.steer === 'cpu' ? 'cpu' : 'first', detached: listeners[0]?.steering?.detached ?? 'unknown' }
    if (restarts !== undefined && restarts.length > 0) {
      const first = restarts[0]
      const last = restarts[restarts.length - 1]
      const windowMs: [number, number] = [first?.atMs ?? 0, (last?.atMs ?? 0) + (last?.drainMs ?? 0) + 500]
      const inWindow = result.errorTimesMs.filter(t => t >= windowMs[0] && t <= windowMs[1]).length
      scenario.restart = { events: restarts, busyMs: plan.restartBusyMs, windowMs, errorsInWindow: inWindow, errorsOutsideWindow: result.errorTimesMs.length - inWindow, errorCodes: result.errorCodes, tcpMigrateReq: readSysctl('net.ipv4.tcp_migrate_req') }
    }
    const run: ModeRun = {
      mode,
      trial: cell.trial,
      scenario,
      socketOption: choice.option,
      socketNote: choice.note,
      workers,
      port: group.port,
      startedAt,
      readyMs,
      load: { connections, durationSec: plan.durationSec, warmupSec: plan.warmupSec, churn: plan.churn, rate: plan.rate },
      client,
      loadGenerator: cpu,
      listeners,
      serverLatencyUs: summarize(merged),
      serverHistogram: encodeHistogram(merged),
      fairness: fairness(listeners.map(l => l.accepts)),
      requestFairness: fairness(listeners.map(l => l.requests)),
      accounting: account({ connections, churn: plan.churn }, result, listeners)
    }
    merged.destroy()
    return run
  } catch (err) {
    await group.stop(500)
    if (death !== undefined) throw death
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    throw err
  } finally {
    hooks.signal?.removeEventListener('abort', onOuter)
    await group.kill(2000)
  }
}

/** Runs every cell of the plan's grid, each with fresh processes and a pause between runs. */
export async function runPlan (plan: RunPlan, hooks: RunHooks = {}): Promise<ModeRun[]> {
  const runs: ModeRun[] = []
  const cells = gridCells(plan)
  const t0 = Date.now()
  for (const [i, cell] of cells.entries()) {
    if (i > 0 && plan.pauseSec > 0) {
      try {
        await sleep(plan.pauseSec * 1000, undefined, { signal: hooks.signal })
      } catch {
        throw new InterruptedError(String(hooks.signal?.reason ?? 'signal'))
      }
    }
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    let tag = `[${i + 1}/${cells.length}]`
    if (cells.length > plan.modes.length) {
      const left = i === 0 ? '' : `, about ${Math.round(((Date.now() - t0) / i) * (cells.length - i) / 1000)} s left`
      tag = `[run ${i + 1}/${cells.length}: ${cell.workers} workers, ${cell.connections} connections, trial ${cell.trial}${left}]`
    }
    try {
      const run = await runMode(plan, cell, hooks, tag)
      runs.push(run)
      hooks.onRun?.(run)
    } catch (err) {
      if (err instanceof HarnessError) throw err
      throw new RunError('RB_LOAD_FAILED', `${cell.mode}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return runs
}

export type { Accounting, Cell, ListenerResult }
