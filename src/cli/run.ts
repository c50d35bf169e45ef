/**
 * `run`: plan -> runs (in this namespace, or with the client host in its own) -> result, report, verdicts, --fail-if.
 */
import { dumpLines } from '../report/steering.js'
import { err, out } from './output.js'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { HarnessError, INVALID_EXIT, NO_VALID_EXIT, RunError, THRESHOLD_EXIT, UsageError } from '../errors.js'
import { measured } from '../analyse/validity.js'
import { parseThreshold } from '../plan/threshold.js'
import { planFromArgs } from '../plan/options.js'
import { aheadText } from '../plan/estimate.js'
import { checkGates } from '../analyse/thresholds.js'
import { verdictOf } from '../report/verdictOf.js'
import { formatComparison, formatModeRun, formatPaired, formatSweep } from '../report/terminal.js'
import { saveDoc } from '../store/runDir.js'
import { refuseOverInputs, writeFileAtomic } from '../store/files.js'
import { writeArtifacts } from '../store/artifacts.js'
import { EXPORTERS } from '../store/exporters.js'
import type { Exporter } from '../store/exporters.js'
import { formatProbe } from '../report/probeTable.js'
import { runProbe } from '../probe/index.js'
import { progressLine } from '../report/progress.js'
import { describeCpuSets } from '../proc/cpus.js'
import { loadTarget } from '../topology/address.js'
import { probeListeners, runSession } from '../engine/session.js'
import type { Session } from '../engine/session.js'
import type { RunEvent, SessionEvent } from '../types/events.js'
import { endProgress, interrupts, progressPrinter, STOP_GRACE_MS, useColor } from './common.js'
import { keepingIn } from '../store/keeper.js'
import type { ResultKeeper } from '../store/keeper.js'
import { runnableModes } from '../engine/modes.js'
import { commandLine } from '../proc/commandLine.js'
import { PROBE_DEFAULTS, defaultIp6 } from '../probe/defaults.js'
import type { ResultDoc } from '../types/docs.js'
import type { ProbeDoc } from '../types/probe.js'
import type { RunPlan } from '../types/plan.js'
import { wordsOfAll } from '../analyse/words.js'

/** Parsed flags of `run` (plan options as given, see plan/options.ts) and the output options. */
export type RunArgs = Record<string, unknown> & { out: string, json: boolean, probe: boolean }

/** An exporter asked for, and the file it writes. */
interface Export { exporter: Exporter, file: string, render: (doc: ResultDoc) => string }

/** The exports asked for (store/exporters.ts); a folder that does not exist, or the run's own --handler as the file, is bad input before anything starts. */
async function exportFiles (a: RunArgs): Promise<Export[]> {
  // The one file a run reads that an export could land on: its --handler.
  const handler = typeof a.handler === 'string' ? [a.handler] : []
  return await Promise.all(EXPORTERS.flatMap(exporter => {
    const v = a[exporter.flag]
    if (v === undefined) return []
    const file = path.resolve(String(v))
    if (!existsSync(path.dirname(file))) throw new UsageError(`--${exporter.flag} ${String(v)}: the folder ${path.dirname(file)} does not exist`)
    refuseOverInputs([file], handler, `--${exporter.flag}`)
    return [exporter.renderer().then(render => ({ exporter, file, render }))]
  }))
}

/** Prints the tables (or the JSON), the scenario verdicts and what was not run. */
function printResult (doc: ResultDoc, json: boolean): void {
  endProgress()
  if (json) {
    out(JSON.stringify(doc, null, 2) + '\n')
    return
  }
  // A grid prints its cells as rows; the per-listener tables of every run are in the report.
  if (doc.sweep === undefined) out(doc.runs.map(r => formatModeRun(r, doc.plan.driver)).join('\n\n') + '\n\n')
  // Side by side, the slices are many: each one's row is in the report and counts.csv, their medians below.
  if (doc.plan.interleave === 'rounds' && doc.sweep !== undefined) out(`== ${doc.runs.length} slices side by side: each slice's figures are in the report and counts.csv; their medians and paired rounds follow\n\n`)
  else out(formatComparison(doc.runs, doc.comparison) + '\n\n')
  const unit = doc.plan.interleave === 'rounds' ? 'round' : 'trial'
  const words = wordsOfAll(doc.runs)
  if (doc.sweep !== undefined) out(formatSweep(doc.sweep, unit, words) + '\n\n')
  if (doc.paired !== undefined && doc.paired.length > 0) out(formatPaired(doc.paired, unit, words) + '\n\n')
  out(verdictOf(doc).map(line => `verdict: ${line}`).join('\n') + '\n\n')
  if (doc.plan.dumpSteering === true) out(['steering programs (--dump-steering):', ...dumpLines(doc.runs)].join('\n') + '\n\n')
  for (const k of doc.skipped ?? []) out(`not run: ${k.what}: ${k.reason}\n`)
}

/** The complete result's files, the output, then --fail-if. */
function finish (doc: ResultDoc, dir: string, extra: { probe: ProbeDoc | undefined, json: boolean, exports: Export[] }): void {
  const runs = doc.runs
  if (extra.probe !== undefined) doc.probe = extra.probe
  // Every file is tried; what the disk refused is said after the tables, which are printed whatever was saved.
  const unsaved: string[] = []
  const save = <T>(write: () => T): T | undefined => {
    try {
      return write()
    } catch (e) {
      if (!(e instanceof RunError)) throw e
      unsaved.push(e.message)
      return undefined
    }
  }
  const file = save(() => saveDoc(dir, doc))
  save(() => writeArtifacts(dir, doc))
  for (const x of extra.exports) save(() => { writeFileAtomic(x.file, x.render(doc)) })
  printResult(doc, extra.json)
  const violations = checkGates(doc.plan.failIf.map(parseThreshold), runs)
  if (violations.length > 0) err(violations.map(v => `fail-if: ${v}`).join('\n') + '\n')
  if (unsaved.length > 0) throw new RunError('RB_WRITE_FAILED', `the figures ${extra.json ? 'printed' : 'above'} were measured but not all saved: ${unsaved.join('; ')}${file === undefined ? '' : ` (${file} is whole)`}`)
  const foreign = runs.filter(r => r.invalid?.kind === 'foreign-socket')
  if (foreign.length > 0) throw new HarnessError('RB_INVALID_CELL', `${foreign.length} cell${foreign.length === 1 ? '' : 's'} shared the port with sockets outside this run and ${foreign.length === 1 ? 'is' : 'are'} invalid (${foreign.map(r => `${r.mode} trial ${r.trial}`).join(', ')}); give each run its own --port, or --port 0`, INVALID_EXIT)
  if (violations.length > 0) {
    throw new HarnessError('RB_THRESHOLD', `${violations.length} --fail-if threshold${violations.length === 1 ? '' : 's'} crossed (result written to ${file ?? ''})`, THRESHOLD_EXIT)
  }
  // A gate asked for is the contract (exit 3); without one, a run that measured nothing says so with its own code.
  if (measured(runs).length === 0) throw new HarnessError('RB_NO_VALID_CELL', `no cell measured the listeners (every one is invalid: see the lines above${file === undefined ? '' : ` and ${file}`}); nothing to rank or compare`, NO_VALID_EXIT)
  if (extra.json) return
  if (extra.probe !== undefined) out(formatProbe(extra.probe, useColor(process.stdout)) + '\n\n')
  out(`result: ${file ?? ''}\nreport: ${path.join(dir, 'report.html')}${doc.sweep === undefined ? '' : ' (per-listener tables and charts of every run)'}\n`)
}

/** Where the listeners run and where the load comes from, for the first progress line. */
function whereListeners (plan: RunPlan): string {
  if (plan.serverVia !== null) return `the server host (${plan.serverVia}) at ${plan.host}`
  return plan.clientNetns ? 'a server namespace' : plan.host
}
function whereLoad (plan: RunPlan): string {
  if (plan.target !== null) return `${plan.target.host} from ${plan.clientVia.length === 0 ? 'this host' : `${plan.clientVia.length} client host${plan.clientVia.length === 1 ? '' : 's'}`}`
  return plan.clientNetns ? 'it from a client namespace' : loadTarget(plan.host)
}

export async function cmdRun (a: RunArgs): Promise<void> {
  const exports = await exportFiles(a)
  const say = progressPrinter(a.json)
  let keeper: ResultKeeper | undefined
  // The session keeps what was measured the moment the first signal comes; a stop too slow for the grace names where.
  const ac = interrupts(say, STOP_GRACE_MS, () => keeper?.kept)
  let probe: ProbeDoc | undefined
  const show = (e: RunEvent | SessionEvent): void => {
    const p = progressLine(e)
    if (p !== undefined) say(p.line, p.transient)
  }
  // Once the plan is resolved, the host checked and the folder made: the header, the probe.
  const ready = async (s: Session): Promise<void> => {
    const host = s.samples.host
    say(`reuseport-bench: ${s.plan.modes.join(', ')} on ${whereListeners(s.plan)}${s.plan.port === 0 ? '' : `:${s.plan.port}`} (load to ${whereLoad(s.plan)}), ${host.cpus} CPUs here, ${host.platform} ${host.release}`)
    say(`CPUs: ${describeCpuSets(s.cpus)}`)
    say(aheadText(s.plan))
    if (a.probe) probe = await runProbe({ ...PROBE_DEFAULTS, ip6: defaultIp6(), modes: runnableModes(s.plan.modes).modes, listeners: probeListeners(s), deadlineScale: s.plan.deadlineScale, progress: say }, commandLine())
  }
  const doc = await runSession(planFromArgs(a), { signal: ac.signal, onEvent: show, keeping: s => (keeper = keepingIn(a.out, s, say)), ready, command: commandLine() })
  finish(doc, keeper?.dir ?? a.out, { probe, json: a.json, exports })
}
