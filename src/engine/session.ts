/**
 * A session: one plan from asked to analysed, the only way the CLI and the
 * API run one. The plan is resolved once (the modes this host and the
 * listeners' Node can run, the Node, the CPU sets, where the cells run and
 * which variants follow), the host is checked (steering, open files, the
 * address, the port claimed for this run), then the cells run and the result
 * document is built and analysed. The callers differ only in how they
 * present: the CLI renders the events and writes files, the API hands both
 * back.
 */
import { sampleRun } from '../collect/samplers/index.js'
import { addGridAnalysis, buildResult } from '../analyse/result.js'
import type { ResultMeta, RunSamples } from '../analyse/result.js'
import { correctionNotes } from '../load/drivers/index.js'
import { UsageError } from '../errors.js'
import { capabilities } from '../native/index.js'
import { assertOpenFiles } from '../proc/limits.js'
import { nodeAt } from '../proc/node.js'
import { cpuSetsHere } from '../proc/pinning.js'
import { assertLocalAddress, assertPortFree } from '../topology/address.js'
import { netnsUnavailable } from '../proc/netns.js'
import { claimPort } from '../topology/portClaim.js'
import { runsWithClientHost } from './clientNetns.js'
import { assertSupported, runnableModes, withoutUnsteerable } from './modes.js'
import { buildPlan, DEFAULT_PLAN } from '../plan/validate.js'
import { anyClassic } from '../plan/steer.js'
import { plannedRuns } from '../plan/grid.js'
import { baselineMode, DEFAULT_SERVE_MODE } from '../topology/kinds/index.js'
import type { GroupOptions } from '../types/listener.js'
import { runsOverHosts } from './overHosts.js'
import { runPlan } from './run.js'
import type { SessionRunHooks } from './run.js'
import { runVariant, variantsOf } from './variants.js'
import { keptWhile } from './keeping.js'
import type { Keeping } from './keeping.js'
import type { Variant } from './variants.js'
import type { NotRun, PrecisionStop, ResultDoc } from '../types/docs.js'
import type { ProbeListeners } from '../types/probe.js'
import type { SessionEvent } from '../types/events.js'
import type { NodeBinary, RawOptions, RunPlan } from '../types/plan.js'
import type { CpuSets, ModeRun } from '../types/run.js'

/** Where the cells of a session run. */
export type Placement =
  /** Listeners and load generator on this host, in this namespace. */
  | 'here'
  /** The whole plan in a server namespace, its load generator in a client namespace (--client-netns). */
  | 'client-netns'
  /** Listeners on a server host and/or load from client hosts (--server-via, --client-via). */
  | 'hosts'

/** A plan resolved once, before anything starts. */
export interface Session {
  /** The plan that runs (and is recorded): the modes that can run here, the address the cells use. */
  plan: RunPlan
  node: NodeBinary
  cpus: CpuSets
  placement: Placement
  /** What follows the main cells (the rolling restart with tcp_migrate_req=1). */
  variants: Variant[]
  /** Parts of the asked plan that will not run, with the reason. */
  skipped: NotRun[]
  samples: RunSamples
  createdAt: Date
}

/** The engine's hooks (signal; its events and the session's own: skipped, note, analysing), and what only a session takes. */
export interface SessionHooks extends SessionRunHooks {
  /** Where the session keeps what it measures as it goes (engine/keeping.ts), made once the plan is resolved and the host checked. */
  keeping?: (s: Session) => Keeping
  /** Called once the plan is resolved, the host checked and the keeping made, before the first cell (the CLI prints its header here). */
  ready?: (s: Session) => void | Promise<void>
  /** The command recorded in the result. */
  command?: string
}

/** Where the cells run, falling back to loopback here when a client namespace cannot be made. */
function placementOf (plan: RunPlan, skipped: NotRun[], emit: (e: SessionEvent) => void): { placement: Placement, plan: RunPlan } {
  if (plan.target !== null) return { placement: 'hosts', plan }
  if (!plan.clientNetns) return { placement: 'here', plan }
  const why = netnsUnavailable()
  if (why === undefined) return { placement: 'client-netns', plan }
  const what = 'separate client host (--client-netns)'
  skipped.push({ what, reason: why })
  emit({ type: 'skipped', what, reason: why, instead: 'running with the client on loopback instead' })
  return { placement: 'here', plan: { ...plan, host: '127.0.0.1' } }
}

/** Everything this host must allow before anything starts; the port is claimed for this run, then checked free. */
async function assertRunnable (plan: RunPlan): Promise<void> {
  if (plan.clientVia.length === 0) assertOpenFiles(Math.max(...plan.sweep.connections)) // the load runs here
  if (anyClassic(plan) && !capabilities().SO_ATTACH_REUSEPORT_CBPF) throw new UsageError('--steer needs SO_ATTACH_REUSEPORT_CBPF (Linux 4.6+), which this OS does not define', 'RB_UNSUPPORTED')
  // The listeners get an address in a namespace made for them, or on the server host; with client hosts only, they are here.
  if (plan.clientNetns || plan.serverVia !== null) return
  assertLocalAddress(plan.host)
  await claimPort(plan.port)
  assertPortFree(plan.host, plan.port)
}

/** A serve's plan (the CLI's and the API's): one mode, nothing loaded from here; listener CPUs 'auto' leaves them unpinned, the load generator being the user's to place. */
export function servePlan (raw: RawOptions): RunPlan {
  const plan = buildPlan({ ...raw, trials: '1' })
  return { ...plan, clientCpus: 'all', listenerCpus: plan.listenerCpus === 'auto' ? 'all' : plan.listenerCpus }
}

/**
 * What listeners serving here need of this host, resolved and checked once, for serve and the API's serve
 * as for a run: the listeners' Node, the modes supported by it, the address local, the port claimed for
 * this process and free, and the CPU sets (bad input where the host does not allow them).
 */
export async function listenersHere (plan: RunPlan): Promise<{ node: NodeBinary, cpus: CpuSets }> {
  const node = nodeAt(plan.node)
  assertSupported(plan.modes, node.version)
  assertLocalAddress(plan.host)
  await claimPort(plan.port)
  assertPortFree(plan.host, plan.port)
  return { node, cpus: cpuSetsHere(plan) }
}

/**
 * What the probe's accept-order groups start on: the session's Node, listener CPUs and backlog (run --probe), or
 * without a session (probe, the API's probe, reproduce) what a plain run has: this Node, unpinned, the default backlog.
 */
export function probeListeners (s?: Session): ProbeListeners {
  if (s === undefined) return { node: nodeAt(null), backlog: DEFAULT_PLAN.backlog, cpus: null }
  return { node: s.node, backlog: s.plan.backlog, cpus: s.cpus.listeners }
}

/** The group a serve's plan starts (its one mode), on what `listenersHere` resolved. */
export function servedGroup (plan: RunPlan, here: { node: NodeBinary, cpus: CpuSets }): GroupOptions {
  const cpus = here.cpus.listeners
  return {
    mode: plan.modes[0] ?? DEFAULT_SERVE_MODE,
    workers: plan.workers,
    host: plan.host,
    port: plan.port,
    backlog: plan.backlog,
    instrument: true,
    workUs: plan.workUs,
    node: here.node,
    ...(plan.stall === null ? {} : { stall: plan.stall }),
    ...(cpus === null ? {} : { cpus }),
    ...(plan.handler === null ? {} : { handler: plan.handler }),
    ...(plan.attribution ? {} : { attribution: false }),
    ...(plan.protocol === 'udp' ? { protocol: 'udp' as const } : {})
  }
}

/** Resolves the asked plan once and checks the host; throws UsageError for what cannot run here. */
export async function openSession (asked: RunPlan, emit: (e: SessionEvent) => void = () => {}): Promise<Session> {
  const node = nodeAt(asked.node)
  const skipped: NotRun[] = []
  const r = runnableModes(asked.modes, node.version)
  for (const k of r.skipped) {
    skipped.push(k)
    emit({ type: 'skipped', ...k })
  }
  const steered = withoutUnsteerable(r.skipped.length === 0 ? asked : { ...asked, modes: r.modes })
  for (const k of steered.skipped) {
    skipped.push(k)
    emit({ type: 'skipped', ...k })
  }
  const runnable = steered.plan
  const cpus = cpuSetsHere(runnable) // CPUs this host does not allow, or pinning where there is none: bad input
  const { placement, plan } = placementOf(runnable, skipped, emit)
  await assertRunnable(plan)
  const { variants, notRun } = variantsOf(plan)
  for (const k of notRun) {
    skipped.push(k)
    emit({ type: 'skipped', ...k })
  }
  return { plan, node, cpus, placement, variants, skipped, samples: sampleRun(), createdAt: new Date() }
}

/** What every result of this installation records beside its cells: the baseline kind, the drivers' notes. */
export function resultMeta (command: string, createdAt: Date): ResultMeta {
  return { command, createdAt, baseline: baselineMode(), correctionNote: correctionNotes() }
}

/** The main cells, where the session placed them. */
async function mainRuns (s: Session, hooks: SessionRunHooks): Promise<ModeRun[]> {
  switch (s.placement) {
    case 'hosts': return await runsOverHosts(s.plan, hooks, { cpus: s.cpus, node: s.node })
    case 'client-netns': return await runsWithClientHost(s.plan, hooks, { cpus: s.cpus, node: s.node })
    case 'here': return await runPlan(s.plan, hooks, {}, { cpus: s.cpus, node: s.node })
  }
}

/** Runs the session's cells (main, then variants); a variant that fails is skipped with its reason. */
export async function runCells (s: Session, hooks: SessionHooks = {}): Promise<ModeRun[]> {
  const engine = { ...(hooks.signal === undefined ? {} : { signal: hooks.signal }), ...(hooks.onEvent === undefined ? {} : { onEvent: hooks.onEvent }) }
  const runs = await mainRuns(s, engine)
  for (const v of s.variants) runs.push(...await runVariant(s, v, engine))
  return runs
}

/** How many cells the session will run: its grid, then every variant's (what a caller sizes its output by). */
export function sessionCells (s: Session): number {
  return plannedRuns(s.plan) + s.variants.reduce((n, v) => n + plannedRuns(v.plan), 0)
}

/** The result document of a session's cells, analysed; `stops`: where each configuration's rounds stopped (a precision or a budget). */
export async function sessionResult (s: Session, runs: ModeRun[], hooks: SessionHooks = {}, stops: PrecisionStop[] = []): Promise<ResultDoc> {
  const doc = buildResult(s.plan, s.samples, runs, resultMeta(hooks.command ?? 'reuseport-bench API run', s.createdAt))
  if (s.skipped.length > 0) doc.skipped = [...s.skipped]
  if (stops.length > 0) doc.precision = [...stops]
  await addGridAnalysis(doc, s.plan, n => hooks.onEvent?.({ type: 'analysing', runs: n }))
  return doc
}

/** The whole session: resolve and check, run every cell (kept as they finish), build and analyse the result. */
export async function runSession (asked: RunPlan, hooks: SessionHooks = {}): Promise<ResultDoc> {
  const s = await openSession(asked, e => hooks.onEvent?.(e))
  const keeping = hooks.keeping?.(s)
  await hooks.ready?.(s)
  return await keptWhile(keeping, hooks.signal, async take => {
    const stops: PrecisionStop[] = []
    const collecting: SessionHooks = {
      ...hooks,
      onEvent: e => {
        take(e)
        if (e.type === 'rounds-stopped') stops.push(e.stop)
        hooks.onEvent?.(e)
      }
    }
    return await sessionResult(s, await runCells(s, collecting), hooks, stops)
  })
}
