/**
 * One benchmark run: for each mode of the plan, start fresh listeners, warm
 * up, reset their counters, load them, collect their stats, stop them, and
 * analyse what they did. The path: plan -> topology -> load -> collect -> analyse.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { fairness } from './analyse/fairness.js'
import type { Fairness } from './analyse/fairness.js'
import { mergeHistograms, summarize, summarizeEncoded, encodeHistogram } from './collect/histogram.js'
import type { LatencySummary } from './collect/histogram.js'
import { HarnessError, InterruptedError, RunError } from './errors.js'
import { runLoad } from './load/autocannon.js'
import type { LoadResult } from './load/autocannon.js'
import type { RunPlan } from './plan.js'
import type { Mode } from './protocol.js'
import { loadTarget } from './topology/address.js'
import { ListenerGroup } from './topology/group.js'
import { reuseChoice } from './topology/options.js'
import type { ReuseChoice } from './topology/options.js'
import { capabilities } from './native/index.js'
import type { ListenerSnapshot } from './topology/group.js'

export interface ListenerResult {
  index: number
  pid: number
  accepts: number
  requests: number
  errors: number
  /** Connections the client reset (autocannon does this to every connection when it stops). */
  resets: number
  cpuMs: number
  rssBytes: number
  /** Server processing time per request (request parsed to response handed to the socket), microseconds. */
  latencyUs: LatencySummary
  histogram: string
}

export interface Accounting {
  clientConnections: number
  listenerAccepts: number
  acceptsMatch: boolean
  clientResponses: number
  listenerRequests: number
  /** listenerRequests - clientResponses. */
  requestDifference: number
  /** Responses autocannon received but did not count: one per reconnect it makes for --churn. */
  uncountedReconnectResponses: number
  /** Whether the difference is within what is explained: uncounted reconnect responses plus at most one request in flight per connection. */
  explained: boolean
  note: string
}

export interface ModeRun {
  mode: Mode
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

function listenerResult (s: ListenerSnapshot): ListenerResult {
  return {
    index: s.index,
    pid: s.pid,
    accepts: s.stats.accepts,
    requests: s.stats.requests,
    errors: s.stats.errors,
    resets: s.stats.resets,
    cpuMs: Math.round((s.stats.cpuUserUs + s.stats.cpuSystemUs) / 1000),
    rssBytes: s.stats.rssBytes,
    latencyUs: summarizeEncoded(s.stats.histogram),
    histogram: s.stats.histogram
  }
}

/** Compares what the client saw with what the listeners counted, and says why they may differ. */
export function account (plan: Pick<RunPlan, 'connections' | 'churn'>, load: Pick<LoadResult, 'connectionsOpened' | 'responses' | 'errors' | 'timeouts'>, listeners: ReadonlyArray<Pick<ListenerResult, 'accepts' | 'requests'>>): Accounting {
  const listenerAccepts = listeners.reduce((a, l) => a + l.accepts, 0)
  const listenerRequests = listeners.reduce((a, l) => a + l.requests, 0)
  const requestDifference = listenerRequests - load.responses
  const notes: string[] = []
  const reconnects = plan.churn > 0 ? Math.max(0, load.connectionsOpened - plan.connections) : 0
  if (listenerAccepts !== load.connectionsOpened) {
    notes.push(`accepts differ from client connections by ${listenerAccepts - load.connectionsOpened}${load.errors + load.timeouts > 0 ? ' (the client had errors or timeouts)' : plan.churn > 0 ? ' (a connection opened or dropped in the last instant of a churning run)' : ''}`)
  }
  if (requestDifference > 0) {
    const parts: string[] = []
    if (reconnects > 0) parts.push(`autocannon leaves uncounted the response that triggers each of its ${reconnects} reconnects`)
    parts.push(`up to ${plan.connections} requests were in flight when the client stopped`)
    notes.push(`listeners served ${requestDifference} more requests than the client counted: ${parts.join('; ')}`)
  } else if (requestDifference < 0) {
    notes.push(`the client counted ${-requestDifference} more responses than the listeners served requests (warm-up responses arriving after the reset?)`)
  }
  return {
    clientConnections: load.connectionsOpened,
    listenerAccepts,
    acceptsMatch: listenerAccepts === load.connectionsOpened,
    clientResponses: load.responses,
    listenerRequests,
    requestDifference,
    uncountedReconnectResponses: reconnects,
    explained: requestDifference - reconnects >= 0 && requestDifference - reconnects <= plan.connections,
    note: notes.length === 0 ? 'exact' : notes.join('; ')
  }
}

/** Waits (bounded) until the listeners hold no open connections, so in-flight requests are counted. */
async function drain (group: ListenerGroup): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const s = await group.request('stats')
    if (s.every(x => x.stats.open === 0)) return
    await sleep(50)
  }
}

async function runMode (plan: RunPlan, mode: Mode, hooks: RunHooks, tag: string): Promise<ModeRun> {
  const say = hooks.progress ?? (() => {})
  const workers = mode === 'single' ? 1 : plan.workers
  const choice = reuseChoice(mode, capabilities())
  const startedAt = new Date().toISOString()
  say(`${tag} ${mode}: starting ${workers} listener process${workers === 1 ? '' : 'es'} (${choice.option})${choice.note === '' ? '' : ` - ${choice.note}`}`)
  const t0 = Date.now()
  const group = await ListenerGroup.start({ mode, workers, host: plan.host, port: plan.port, backlog: plan.backlog, instrument: plan.instrument })
  const readyMs = Date.now() - t0
  const abort = new AbortController()
  let death: RunError | undefined
  group.onDeath(e => { death ??= e; abort.abort() })
  const onOuter = (): void => abort.abort()
  hooks.signal?.addEventListener('abort', onOuter, { once: true })
  const target = { host: loadTarget(plan.host), port: group.port, connections: plan.connections, churn: plan.churn, rate: plan.rate, signal: abort.signal }
  try {
    if (hooks.signal?.aborted === true) abort.abort()
    say(`${tag} ${mode}: ${workers} listening on port ${group.port} (ready in ${readyMs} ms)`)
    if (plan.warmupSec > 0) {
      say(`${tag} ${mode}: warm-up ${plan.warmupSec} s (not counted)`)
      await runLoad({ ...target, durationSec: plan.warmupSec })
      await sleep(200)
      await drain(group)
      await group.request('reset')
    }
    say(`${tag} ${mode}: load ${plan.durationSec} s, ${plan.connections} connections${plan.churn > 0 ? `, new connection every ${plan.churn} requests` : ', keep-alive'}${plan.rate > 0 ? `, ${plan.rate} req/s` : ''}`)
    const load = await runLoad({
      ...target,
      durationSec: plan.durationSec,
      onTick: (s, n) => say(`${tag} ${mode}: ${Math.min(s, plan.durationSec).toFixed(0)}/${plan.durationSec} s, ${n} responses`, true)
    })
    await drain(group)
    const final = await group.stop()
    if (final === undefined) throw new RunError('RB_LISTENER_TIMEOUT', `${mode}: listeners did not report their final stats`)
    const listeners = final.map(listenerResult)
    const merged = mergeHistograms(listeners.map(l => l.histogram))
    const { cpu, ...client } = load
    const run: ModeRun = {
      mode,
      socketOption: choice.option,
      socketNote: choice.note,
      workers,
      port: group.port,
      startedAt,
      readyMs,
      load: { connections: plan.connections, durationSec: plan.durationSec, warmupSec: plan.warmupSec, churn: plan.churn, rate: plan.rate },
      client,
      loadGenerator: cpu,
      listeners,
      serverLatencyUs: summarize(merged),
      serverHistogram: encodeHistogram(merged),
      fairness: fairness(listeners.map(l => l.accepts)),
      requestFairness: fairness(listeners.map(l => l.requests)),
      accounting: account(plan, load, listeners)
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

/** Runs every mode of the plan in order, with fresh processes and a pause between modes. */
export async function runPlan (plan: RunPlan, hooks: RunHooks = {}): Promise<ModeRun[]> {
  const runs: ModeRun[] = []
  for (const [i, mode] of plan.modes.entries()) {
    if (i > 0 && plan.pauseSec > 0) {
      try {
        await sleep(plan.pauseSec * 1000, undefined, { signal: hooks.signal })
      } catch {
        throw new InterruptedError(String(hooks.signal?.reason ?? 'signal'))
      }
    }
    if (hooks.signal?.aborted === true) throw new InterruptedError(String(hooks.signal.reason ?? 'signal'))
    try {
      const run = await runMode(plan, mode, hooks, `[${i + 1}/${plan.modes.length}]`)
      runs.push(run)
      hooks.onRun?.(run)
    } catch (err) {
      if (err instanceof HarnessError) throw err
      throw new RunError('RB_LOAD_FAILED', `${mode}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return runs
}
