/**
 * The programmatic surface: `import { run, serve, probe, report } from 'reuseport-bench'`.
 * Options are the plan's own fields (the same vocabulary as the flags and the
 * result) in JavaScript types (api/options.ts), progress comes as the engine's events, and a run's return value is
 * the result document the CLI writes.
 *
 * @packageDocumentation
 */
import { saveDoc } from '../store/runDir.js'
import { runnableModes } from '../engine/modes.js'
import { defaultIp6, PROBE_DEFAULTS } from '../probe/defaults.js'
import { runProbe } from '../probe/index.js'
import { writeArtifacts } from '../store/artifacts.js'
import { renderReport } from '../report/html/report.js'
import { ListenerGroup } from '../topology/group.js'
import { DEFAULT_MODES, DEFAULT_SERVE_MODE, listenerKind } from '../topology/kinds/index.js'
import type { ResultDoc } from '../types/docs.js'
import type { ProbeDoc } from '../types/probe.js'
import type { RunEvent, SessionEvent } from '../types/events.js'
import { listenersHere, probeListeners, runSession, servedGroup, servePlan } from '../engine/session.js'
import type { Session } from '../engine/session.js'
import { asOptionNames, planFromOptions } from './options.js'
import type { RunOptions } from './options.js'
import type { ListenerSnapshot } from '../types/listener.js'

export type { ResultDoc } from '../types/docs.js'
export type { ProbeDoc } from '../types/probe.js'
export type { RunEvent, SessionEvent } from '../types/events.js'
export type { RunPlan } from '../types/plan.js'
export type { ModeRun } from '../types/run.js'
export type { ListenerSnapshot } from '../types/listener.js'
export { HarnessError, UsageError, RunError } from '../errors.js'
import { HarnessError, UsageError } from '../errors.js'
import { keepingIn } from '../store/keeper.js'
import type { ResultKeeper } from '../store/keeper.js'

export type { RunOptions } from './options.js'

export interface RunHooks {
  /** Every progress event: the engine's (cell started, ready, warm-up, load, ticks, done) and the session's (skipped, note, analysing). */
  onEvent?: (e: RunEvent | SessionEvent) => void
  /** Aborting it stops the run; its processes are stopped and the promise rejects. */
  signal?: AbortSignal
  /**
   * A folder for results, as the CLI's --out: `<out>/<timestamp>/` (result.json, report.html, .hgrm, counts.csv), kept
   * after every cell and marked partial until the run ends, and `<out>/latest` pointed at a complete one; nothing is
   * written when absent.
   */
  out?: string
}

/**
 * Runs every cell of the plan (modes x configurations x trials) and resolves with the result
 * document, through the same session as the CLI. Modes this host or the listeners' Node cannot
 * run are left out and listed in `skipped`. Bad options reject with a `UsageError` whose
 * message names the option as written (`options.modes[2]: 'nonsense' is not a mode; ...`).
 */
export async function run (options: RunOptions = {}, hooks: RunHooks = {}): Promise<ResultDoc> {
  const out = hooks.out
  let keeper: ResultKeeper | undefined
  const doc = await runSession(planFromOptions(options), {
    ...(hooks.onEvent === undefined ? {} : { onEvent: hooks.onEvent }),
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    command: 'reuseport-bench API run',
    // As the CLI does: the session keeps every finished cell in the run's folder, so a run that dies leaves what it measured.
    ...(out === undefined ? {} : { keeping: (s: Session) => (keeper = keepingIn(out, s, () => {}, 'out')) })
  }).catch((err: unknown) => {
    // What the host refused (the port, the CPUs), or a deadline's advice, is said with the option's name, as the caller wrote it.
    if (err instanceof UsageError) throw new UsageError(asOptionNames(err.message), err.code, { cause: err })
    if (err instanceof HarnessError) err.message = asOptionNames(err.message)
    throw err
  })
  if (keeper !== undefined) {
    saveDoc(keeper.dir, doc)
    writeArtifacts(keeper.dir, doc)
  }
  return doc
}

export interface ServeOptions {
  mode?: string
  workers?: number
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
  backlog?: number
  /** The user's request handler module (an absolute path), as --handler. */
  handler?: string
  /** CPUs every listener process is pinned to; not pinned when absent. */
  cpus?: number[]
}

/** Listeners kept up for any load generator, as `reuseport-bench serve`. */
export interface Serving {
  port: number
  /** The pid serving each listener index. */
  pids: Map<number, number>
  /** Every listener's figures so far. */
  stats: () => Promise<ListenerSnapshot[]>
  /** Stops the listeners; resolves with their final figures. */
  stop: () => Promise<ListenerSnapshot[]>
}

/**
 * Starts listeners in one mode and resolves once every one listens, resolved and checked as serve and a run
 * are (engine/session.ts listenersHere): the mode supported by this Node, the address local, the port
 * claimed and free, the CPUs allowed; the defaults are the plan's.
 */
export async function serve (o: ServeOptions = {}): Promise<Serving> {
  const plan = servePlan({
    modes: listenerKind(o.mode ?? DEFAULT_SERVE_MODE).mode,
    ...(o.workers === undefined ? {} : { workers: o.workers }),
    ...(o.host === undefined ? {} : { host: o.host }),
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.backlog === undefined ? {} : { backlog: o.backlog }),
    ...(o.handler === undefined ? {} : { handler: o.handler }),
    ...(o.cpus === undefined ? {} : { listenerCpus: o.cpus.join(',') })
  })
  const group = await ListenerGroup.start(servedGroup(plan, await listenersHere(plan)))
  return {
    port: group.port,
    pids: group.pids,
    stats: async () => await group.request('stats'),
    stop: async () => (await group.stop()).snapshots
  }
}

/** The source article's bind/listen matrix and the accept-order probe on this host, as `reuseport-bench probe`. */
export async function probe (o: { modes?: string[], progress?: (line: string) => void } = {}): Promise<ProbeDoc> {
  const modes = runnableModes(o.modes ?? [...DEFAULT_MODES]).modes
  return await runProbe({ ...PROBE_DEFAULTS, ip6: defaultIp6(), modes, listeners: probeListeners(), progress: o.progress ?? (() => {}) }, 'reuseport-bench API probe')
}

/** The self-contained HTML report of a result (and an optional probe), as `reuseport-bench report` writes it. */
export function report (doc: ResultDoc, probeDoc?: ProbeDoc): string {
  return renderReport(doc, probeDoc)
}
