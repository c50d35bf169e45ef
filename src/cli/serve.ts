/**
 * `serve`: listeners kept up for any load generator; per-process stats when
 * stopped. Ctrl-C ends it with exit 130, SIGTERM or SIGHUP (to it or to its
 * process group, as `kill -- -PGID` and systemd send) with 128 + the signal's
 * number; either way with the figures of every listener that answered.
 */
import { err, out } from './output.js'
import { HarnessError, messageOf, RunError, signalExitCode, UsageError } from '../errors.js'
import { assertWritable, expectedBytes } from '../store/files.js'
import { serverControl } from '../topology/serverSide.js'
import { handlerFile } from '../plan/validate.js'
import { fairness } from '../analyse/fairness.js'
import { beginSamplers, sampleRun } from '../collect/samplers/index.js'
import { summarizeEncoded } from '../collect/histogram.js'
import { externalRun } from '../engine/external.js'
import { writeArtifacts } from '../store/artifacts.js'
import { buildResult } from '../analyse/result.js'
import { createRunDir, saveDoc } from '../store/runDir.js'
import type { ListenerSnapshot } from '../types/listener.js'
import type { Mode, RunPlan } from '../types/plan.js'
import type { Scenario } from '../types/run.js'
import { formatSnapshots } from '../report/terminal.js'
import { ListenerGroup } from '../topology/group.js'
import { interrupts } from './common.js'
import { commandLine } from '../proc/commandLine.js'
import { listenerKind, membersText } from '../topology/kinds/index.js'
import { listenersHere, resultMeta, servedGroup, servePlan } from '../engine/session.js'
import { cpuListText } from '../proc/cpus.js'

export interface ServeArgs { control?: 'stdio', mode: string, protocol?: string, workers: string, host: string, port: string, backlog: string, json: boolean, 'listener-cpus': string, handler?: string, attribution?: boolean, 'work-us'?: string, stall?: string, out: string }

/**
 * The listener options of `serve`, checked as `run` checks them (the same plan fields). No client of
 * ours here: the listeners are pinned only when asked ('auto' is 'all'), and the load generator is the
 * user's to place (taskset).
 */
function planOf (a: ServeArgs, mode: string): RunPlan {
  return servePlan({ modes: mode, ...(a.protocol === undefined ? {} : { protocol: a.protocol }), workers: a.workers, host: a.host, port: a.port, backlog: a.backlog, workUs: a['work-us'] ?? '0', stall: a.stall, handler: a.handler, attribution: a.attribution, listenerCpus: a['listener-cpus'] })
}

/** What the listeners and the kernel saw while serving, as a result (load.generator: external) in `out`; returns its path. */
function writeServeResult (a: ServeArgs, plan: RunPlan, mode: Mode, group: ListenerGroup, cpus: number[] | null, x: { started: Date, readyMs: number, endSamples: () => Record<string, unknown>, final: ListenerSnapshot[], failure?: { code: string, message: string } }): string {
  const durationSec = Math.round((Date.now() - x.started.getTime() - x.readyMs)) / 1000
  const scenario: Scenario = { ...(plan.workUs > 0 ? { workUs: plan.workUs } : {}), ...(plan.stall === null ? {} : { stall: plan.stall }) }
  const run = externalRun({ mode, choice: group.choice, port: group.port, startedAt: x.started, readyMs: x.readyMs, durationSec, final: x.final, retired: group.retired, samples: x.endSamples(), scenario, cpus: { client: null, listeners: cpus, rule: 'serve: the load generator is the user\'s to place' }, listenerNode: group.opts.node?.version ?? process.version, seed: plan.seed })
  const doc = buildResult({ ...plan, durationSec, warmupSec: 0 }, sampleRun(), [run], resultMeta(commandLine(), x.started))
  if (x.failure !== undefined) {
    doc.status = 'partial'
    doc.failure = x.failure
  }
  const dir = createRunDir(a.out, x.started, 'serve-')
  const file = saveDoc(dir, doc, 'result.json', x.failure === undefined ? 'latest' : 'latest-partial')
  writeArtifacts(dir, doc)
  return file
}

/** "listener process 123 exited unexpectedly (code 3): Error: boom": the deaths in one line. */
function deathText (deaths: readonly HarnessError[]): string {
  return deaths.map(d => d.message).join('; ')
}

/**
 * Waits for a signal. A listener that dies ends only its own share: it is named on stderr and the others
 * serve on; when none is left, or in a kind whose listeners hang from one process (a cluster primary, a threads host) at the first death, serving ends.
 * A handler that is bad input (exit 2) ends everything at once, as at the start.
 */
async function untilStopped (group: ListenerGroup, signalled: Promise<NodeJS.Signals>, mode: Mode): Promise<{ sig: NodeJS.Signals | null, deaths: HarnessError[] }> {
  const deaths: HarnessError[] = []
  let fatal: HarnessError | undefined
  const ended = new Promise<null>(resolve => group.onDeath(e => {
    deaths.push(e)
    if (e instanceof UsageError) fatal = e
    const left = group.workers - deaths.length
    if (fatal !== undefined || left <= 0 || listenerKind(mode).oneParent === true) { resolve(null); return }
    err(`reuseport-bench: ${e.message}; serving on with the other ${left} listener${left === 1 ? '' : 's'}\n`)
  }))
  const sig = await Promise.race([signalled, ended])
  if (fatal !== undefined) {
    await group.kill()
    throw fatal
  }
  return { sig, deaths }
}

export async function cmdServe (a: ServeArgs): Promise<number> {
  if (a.control === 'stdio') {
    await serverControl(undefined, handlerFile(a.handler))
    return 0
  }
  const mode = listenerKind(a.mode).mode
  const plan = planOf(a, mode)
  const here = await listenersHere(plan)
  const cpus = here.cpus.listeners
  assertWritable(a.out, expectedBytes(1))
  // The listeners' final figures come within group.stop's 2 s grace; only past 3 s is everything killed.
  const ac = interrupts(s => { if (!a.json) err(s + '\n') }, 3000)
  const signalled = new Promise<NodeJS.Signals>(resolve => ac.signal.addEventListener('abort', () => resolve(ac.signal.reason as NodeJS.Signals), { once: true }))
  const started = new Date()
  const group = await ListenerGroup.start(servedGroup(plan, here))
  const readyMs = Date.now() - started.getTime()
  const endSamples = beginSamplers('cell', group.sampleTarget(plan.queueSampleMs))
  // On stderr even with --json: the only place that gives the port when --port is 0.
  err(`serving ${mode} with ${membersText(mode, group.workers)} on ${plan.host}:${group.port}${plan.protocol === 'udp' ? ' (UDP)' : ''} (pids ${[...group.pids.values()].join(', ')}${cpus === null ? '' : `, on CPU${cpus.length === 1 ? '' : 's'} ${cpuListText(cpus)}`}); Ctrl-C to stop\n`)
  const { sig, deaths } = await untilStopped(group, signalled, mode)
  const { snapshots, missing } = await group.stop()
  // The figures are printed whatever the disk takes; what it refused is the failure after them.
  let file: string | null = null
  let unsaved: unknown
  try {
    file = writeServeResult(a, plan, mode, group, cpus, { started, readyMs, endSamples, final: snapshots, ...(deaths.length === 0 ? {} : { failure: { code: 'RB_LISTENER_DIED', message: deathText(deaths) } }) })
  } catch (e) {
    unsaved = e
  }
  if (a.json) {
    const listeners = snapshots.map(s => ({ index: s.index, pid: s.pid, accepts: s.stats.accepts, requests: s.stats.requests, errors: s.stats.errors, latencyUs: summarizeEncoded(s.stats.histogram), ...(s.stats.udp === undefined ? {} : { udp: s.stats.udp }) }))
    out(JSON.stringify({ schemaVersion: 1, mode, port: group.port, listeners, fairness: fairness(snapshots.map(s => s.stats.accepts)), result: file, ...(missing === '' ? {} : { missing }) }, null, 2) + '\n')
  } else {
    out(formatSnapshots(mode, snapshots) + (file === null ? '\n' : `\nresult: ${file} (reuseport-bench report or compare take it)\n`))
  }
  if (unsaved !== undefined) throw new RunError('RB_WRITE_FAILED', `the figures ${a.json ? 'printed' : 'above'} were measured but not all saved: ${messageOf(unsaved)}`, { cause: unsaved })
  if (deaths.length > 0) throw new RunError('RB_LISTENER_DIED', `${deathText(deaths)}; the figures of the others are ${a.json ? 'printed' : 'above'}${file === null ? '' : ` and in ${file}, marked partial`}`)
  if (missing !== '') throw new HarnessError('RB_LISTENER_TIMEOUT', `${missing} did not report final figures`, 1)
  return sig === null ? 0 : signalExitCode(sig)
}
