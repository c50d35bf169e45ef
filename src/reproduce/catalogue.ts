/**
 * The catalogue: one JSON file per study in a folder (the package's `studies/`, or another given), each
 * checked whole when read: its fields (src/shape.ts), each check's fields against its shape's table, its plan
 * and quick plan through the plan's own validation, and every mode a check names in the plan. A file that
 * does not fit is bad input named by file and field, before anything runs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { messageOf, UsageError } from '../errors.js'
import { buildPlan } from '../plan/validate.js'
import { array, int, misfit, object, oneOf, optional, record, tagged, text } from '../shape.js'
import type { Shape } from '../shape.js'
import type { RunPlan } from '../types/plan.js'
import type { Study, StudyCheck } from '../types/study.js'
import { SHAPES, shapeNamed } from './shapes/index.js'

/** The package's own catalogue. */
export const CATALOGUE = fileURLToPath(new URL('../../../studies/', import.meta.url))

/** A study file is read whole; none needs more. */
const MAX_STUDY_BYTES = 256 * 1024
const ID = /^[a-z0-9][a-z0-9-]{0,59}$/

const STUDY: Shape = object({
  id: text(60),
  title: text(200),
  source: object({ title: text(300), url: text(500), year: int(1970, 2100), where: optional(text(600)) }),
  published: object({
    setup: text(2000),
    figures: array(object({ what: text(300), value: 'any', unit: text(100), quote: text(2000), quotedFrom: optional(text(300)) }), 30, 1)
  }),
  scaling: text(2000),
  run: tagged('kind', { load: object({ plan: record('any'), quick: record('any') }), probe: object({}) }),
  requires: object({ cpus: int(1, 4096), root: 'boolean', platforms: array(text(20), 10, 1) }),
  checks: array(object({ shape: oneOf(SHAPES.map(s => s.name)), claim: text(500), platform: optional(text(20)) }), 20, 1)
})

/**
 * What a study may set of a plan: what is measured, never what runs or where. A catalogue is data people
 * share, so a handler, a Node binary, a transport or remote command, a host, a port, CPU sets, a client
 * namespace, output or thresholds stay the user's (their flags to `reproduce`), and a study naming one is refused.
 */
export const STUDY_MAY_SET: ReadonlySet<string> = new Set([
  'modes', 'workers', 'connections', 'durationSec', 'warmupSec', 'trials', 'seed', 'churn', 'rate', 'driver',
  'interleave', 'sliceSec', 'pauseSec', 'unstable', 'precision', 'maxTimeSec', 'backlog', 'workUs', 'stall',
  'restart', 'restartBusyMs', 'steer', 'instrument', 'attribution', 'queueSampleMs',
  'protocol', 'datagramBytes', 'udpConnect', 'udpConnectArms', 'heavyFlows'
])

/** The first field of a study's plan (or quick plan) that a study may not set, as 'run.plan.handler'. */
function forbiddenField (s: Study): string | undefined {
  if (s.run.kind !== 'load') return undefined
  for (const [where, plan] of [['plan', s.run.plan], ['quick', s.run.quick]] as const) {
    const key = Object.keys(plan).find(k => !STUDY_MAY_SET.has(k))
    if (key !== undefined) return `run.${where}.${key}`
  }
  return undefined
}

const bad = (file: string, what: string, cause?: unknown): UsageError =>
  new UsageError(`study ${path.basename(file)}: ${what}`, 'RB_USAGE', cause === undefined ? undefined : { cause })

/** A study's plan (or its quick plan), validated as flags would be. */
export function studyPlan (s: Study, quick: boolean): RunPlan {
  if (s.run.kind !== 'load') throw new UsageError(`study ${s.id} runs the probe, not a load`)
  return buildPlan({ ...s.run.plan, ...(quick ? s.run.quick : {}), label: `reproduce ${s.id}${quick ? ' (quick)' : ''}` })
}

/** The checks' own fields, and that the plan runs every mode they name. */
function checkChecks (file: string, s: Study): void {
  const modes = s.run.kind === 'load' ? studyPlan(s, false).modes : []
  s.checks.forEach((c: StudyCheck, i) => {
    const shape = shapeNamed(c.shape)
    if (shape === undefined) throw bad(file, `checks[${i}].shape '${c.shape}' is not a shape`)
    const wrong = misfit(c, object(shape.fields), `checks[${i}]`)
    if (wrong !== undefined) throw bad(file, wrong)
    if (shape.needs === 'probe' && s.run.kind !== 'probe') throw bad(file, `checks[${i}] (${c.shape}) reads the probe, but the study runs a load`)
    if (shape.needs === 'result' && s.run.kind !== 'load') throw bad(file, `checks[${i}] (${c.shape}) reads a load's result, but the study runs the probe`)
    for (const m of shape.modes(c)) if (!modes.includes(m)) throw bad(file, `checks[${i}] names mode ${m}, which its plan does not run (${modes.join(', ')})`)
  })
}

/** One study file, checked. */
export function readStudy (file: string): Study {
  let v: unknown
  try {
    const raw = readFileSync(file)
    if (raw.length > MAX_STUDY_BYTES) throw new Error(`larger than ${MAX_STUDY_BYTES} bytes`)
    v = JSON.parse(raw.toString('utf8'))
  } catch (err) {
    throw bad(file, `cannot be read as JSON (${messageOf(err)})`, err)
  }
  const wrong = misfit(v, STUDY, '')
  if (wrong !== undefined) throw bad(file, wrong)
  const s = v as Study
  if (!ID.test(s.id) || `${s.id}.json` !== path.basename(file)) throw bad(file, `id '${s.id}' must be the file's name without .json, in lower case letters, digits and dashes`)
  const forbidden = forbiddenField(s)
  if (forbidden !== undefined) throw bad(file, `${forbidden} is not a study's to set: a study sets what is measured (${[...STUDY_MAY_SET].join(', ')}), never what runs or where`)
  try {
    if (s.run.kind === 'load') { studyPlan(s, false); studyPlan(s, true) }
  } catch (err) {
    throw bad(file, `its plan is not a plan: ${messageOf(err)}`, err)
  }
  checkChecks(file, s)
  return s
}

/** Every study in a folder, in file-name order. */
export function readCatalogue (dir: string = CATALOGUE): Study[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter(n => n.endsWith('.json')).sort()
  } catch (err) {
    throw new UsageError(`--catalogue ${dir}: cannot read it (${messageOf(err)})`, 'RB_USAGE', { cause: err })
  }
  if (names.length === 0) throw new UsageError(`--catalogue ${dir}: no study files (*.json) in it`)
  return names.map(n => readStudy(path.join(dir, n)))
}

/** The studies asked for by id, in the order asked; an unknown id is bad input naming the known ones. */
export function pickStudies (all: readonly Study[], ids: readonly string[]): Study[] {
  if (ids.length === 0) return [...all]
  return [...new Set(ids)].map(id => {
    const s = all.find(x => x.id === id)
    if (s === undefined) throw new UsageError(`unknown study '${id}'; known: ${all.map(x => x.id).join(', ')}`)
    return s
  })
}
