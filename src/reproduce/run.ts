/**
 * `reproduce`'s engine: each study whose needs this host meets runs through the normal engine (a session, or
 * the probe), its ordinary document saved in a folder of its own (`<dir>/<id>/result.json` with its report, or
 * `probe.json`), then every check judged against it. Studies with the same plan share one run. A study that
 * cannot run here, or whose run fails, is reported as not run with the reason, and the others still run;
 * an interruption stops them all.
 */
import os from 'node:os'
import path from 'node:path'
import { messageOf, RunError } from '../errors.js'
import { runnableModes } from '../engine/modes.js'
import { probeListeners, runSession } from '../engine/session.js'
import { describeCpuSets } from '../proc/cpus.js'
import { estimateSec } from '../plan/estimate.js'
import { plannedRuns } from '../plan/grid.js'
import { defaultIp6, PROBE_DEFAULTS } from '../probe/defaults.js'
import { runProbe } from '../probe/index.js'
import { writeArtifacts } from '../store/artifacts.js'
import { expectedBytes, makeDirs } from '../store/files.js'
import { saveDoc } from '../store/runDir.js'
import type { RunEvent, SessionEvent } from '../types/events.js'
import type { CheckOutcome, Study, StudyOutcome } from '../types/study.js'
import { studyPlan } from './catalogue.js'
import { shapeNamed } from './shapes/index.js'
import type { Evidence } from './shapes/shape.js'

export interface ReproduceHooks {
  /** The folder the studies' documents go into. */
  dir: string
  command: string
  quick: boolean
  signal?: AbortSignal
  onEvent?: (e: RunEvent | SessionEvent) => void
  say: (line: string) => void
  /** Each study's outcome, as soon as it is judged. */
  onStudy?: (o: StudyOutcome) => void
}

/** The probe: its matrix takes a few seconds. */
const PROBE_SEC = 10

/** Why a study cannot run on this host, or undefined. */
export function notRunReason (s: Study, quick: boolean): string | undefined {
  const r = s.requires
  if (!r.platforms.includes(process.platform)) return `it needs ${r.platforms.join(' or ')}; this host is ${process.platform}`
  if (r.root && process.getuid?.() !== 0) return 'it needs root'
  const cpus = os.availableParallelism()
  if (cpus < r.cpus) return `its shape needs ${r.cpus} CPUs; this host has ${cpus}`
  if (s.run.kind !== 'load') return undefined
  const { skipped } = runnableModes(studyPlan(s, quick).modes)
  return skipped.length === 0 ? undefined : skipped.map(k => `${k.what}: ${k.reason}`).join('; ')
}

/** About how long a study takes here, seconds (0 when it will not run). */
export function studySec (s: Study, quick: boolean): number {
  if (notRunReason(s, quick) !== undefined) return 0
  return s.run.kind === 'probe' ? PROBE_SEC : estimateSec(studyPlan(s, quick))
}

/** The key studies share a run by: the same plan (or the probe). */
const runKey = (s: Study, quick: boolean): string => s.run.kind === 'probe' ? 'probe' : JSON.stringify({ ...studyPlan(s, quick), label: '' })

/** `f` of every run these studies make (studies that share a run count once), added up. */
function perRun (studies: readonly Study[], quick: boolean, f: (s: Study) => number): number {
  const keys = new Map(studies.map(s => [runKey(s, quick), f(s)]))
  return [...keys.values()].reduce((a, b) => a + b, 0)
}

/** About how long these studies take here, seconds. */
export function studiesSec (studies: readonly Study[], quick: boolean): number {
  return perRun(studies, quick, s => studySec(s, quick))
}

/** About what these studies write, bytes: each run's result and report (store/files.ts), the probe's and the page's. */
export function studiesBytes (studies: readonly Study[], quick: boolean): number {
  return perRun(studies, quick, s => notRunReason(s, quick) !== undefined ? 0 : expectedBytes(s.run.kind === 'probe' ? 1 : plannedRuns(studyPlan(s, quick)))) + expectedBytes(studies.length)
}

interface Ran { evidence: Evidence, file: string, unsaved?: string }

/** Saves a study's document in its folder; what the disk refused is kept (the study is judged all the same). */
function keep (ran: Ran, write: () => void): Ran {
  try {
    write()
    return ran
  } catch (err) {
    if (!(err instanceof RunError)) throw err
    return { ...ran, unsaved: err.message }
  }
}

/** Runs one study's plan (or the probe) and saves its ordinary document; the evidence and the file, relative to `dir`. */
async function runStudy (s: Study, h: ReproduceHooks): Promise<Ran> {
  const sub = path.join(h.dir, s.id)
  if (s.run.kind === 'probe') {
    const probe = await runProbe({ ...PROBE_DEFAULTS, ip6: defaultIp6(), modes: [], listeners: probeListeners(), progress: h.say }, h.command)
    return keep({ evidence: { probe, platform: process.platform }, file: path.join(s.id, 'probe.json') }, () => { makeDirs(sub); saveDoc(sub, probe, 'probe.json', null) })
  }
  const result = await runSession(studyPlan(s, h.quick), {
    command: h.command,
    ...(h.signal === undefined ? {} : { signal: h.signal }),
    ...(h.onEvent === undefined ? {} : { onEvent: h.onEvent })
  })
  return keep({ evidence: { result, platform: process.platform }, file: path.join(s.id, 'result.json') }, () => { makeDirs(sub); saveDoc(sub, result, 'result.json', null); writeArtifacts(sub, result) })
}

/** Every check of a study judged against what it ran. */
export function judgeChecks (s: Study, e: Evidence): CheckOutcome[] {
  return s.checks.map(c => {
    const head = { shape: c.shape, claim: c.claim }
    if (c.platform !== undefined && c.platform !== e.platform) {
      return { ...head, measured: 'not measured here', value: null, finding: 'not run' as const, why: `it holds on ${c.platform}; this host is ${e.platform} (the published figure is quoted)` }
    }
    const shape = shapeNamed(c.shape)
    if (shape === undefined) return { ...head, measured: 'no such shape', value: null, finding: 'not run' as const, why: `no shape '${c.shape}'` }
    return { ...head, ...shape.judge(c, e) }
  })
}

/** How this host and run differ from the published setup. */
export function differences (s: Study, e: Evidence): string[] {
  const host = e.result?.host ?? e.probe?.host
  const out = [s.scaling]
  if (host !== undefined) out.push(`here: ${host.cpus} CPUs (${host.cpuModel}), ${host.platform} ${host.release}, Node ${host.node}${e.result?.runs[0]?.listenerNode !== undefined && e.result.runs[0].listenerNode !== host.node ? ` (listeners under ${e.result.runs[0].listenerNode})` : ''}`)
  const cpus = e.result?.runs[0]?.cpus
  if (cpus !== undefined) out.push(`CPUs: ${describeCpuSets(cpus)}`)
  if (e.result?.hostCheck !== undefined) out.push(e.result.hostCheck.statement)
  return out
}

const base = (s: Study): Pick<StudyOutcome, 'id' | 'title' | 'source' | 'published' | 'scaling'> =>
  ({ id: s.id, title: s.title, source: s.source, published: s.published, scaling: s.scaling })

/** Every study in turn: the outcomes, in the order asked. */
export async function reproduceStudies (studies: readonly Study[], h: ReproduceHooks): Promise<StudyOutcome[]> {
  const done = new Map<string, Ran & { id: string }>()
  const outcomes: StudyOutcome[] = []
  for (const s of studies) {
    const started = Date.now()
    const reason = notRunReason(s, h.quick)
    let o: StudyOutcome
    if (reason !== undefined) {
      o = { ...base(s), status: 'not run', reason, differences: [s.scaling], checks: [], seconds: 0 }
    } else {
      h.say(`study ${s.id}: ${s.title}`)
      const key = runKey(s, h.quick)
      try {
        const ran = done.get(key) ?? { ...(await runStudy(s, h)), id: s.id }
        done.set(key, ran)
        const extra = { ...(ran.id === s.id ? {} : { sharedRunOf: ran.id }), ...(ran.unsaved === undefined ? {} : { unsaved: ran.unsaved }) }
        o = { ...base(s), status: 'run', differences: differences(s, ran.evidence), checks: judgeChecks(s, ran.evidence), seconds: (Date.now() - started) / 1000, file: ran.file, ...extra }
      } catch (err) {
        if (h.signal?.aborted === true) throw err
        o = { ...base(s), status: 'not run', reason: `its run failed: ${messageOf(err)}`, differences: [s.scaling], checks: [], seconds: (Date.now() - started) / 1000 }
      }
    }
    outcomes.push(o)
    h.onStudy?.(o)
  }
  return outcomes
}
