/**
 * `reproduce [STUDY...]`: the catalogue's studies (all, or those named) run here through the normal engine,
 * each one's published figures beside ours, with a finding; `--list` names them with their time. Writes
 * `<out>/reproduce-<timestamp>/`: each study's ordinary result (or probe) in a folder of its own, then
 * `reproduce.json` and the page `reproduce.html`, saved again after every study, so an interrupted run keeps
 * what it finished (marked partial).
 */
import os from 'node:os'
import path from 'node:path'
import { hostFacts } from '../collect/samplers/host.js'
import { RunError } from '../errors.js'
import { minutes } from '../numbers.js'
import { CATALOGUE, pickStudies, readCatalogue } from '../reproduce/catalogue.js'
import { notRunReason, reproduceStudies, studiesBytes, studiesSec, studySec } from '../reproduce/run.js'
import { renderReproduce } from '../report/html/reproduce.js'
import { progressLine } from '../report/progress.js'
import { listTable, studyBlock, summaryTable } from '../report/reproduce.js'
import { assertWritable, writeFileAtomic } from '../store/files.js'
import { createRunDir, saveDoc } from '../store/runDir.js'
import { commandLine } from '../proc/commandLine.js'
import { toolVersion } from '../version.js'
import type { RunEvent, SessionEvent } from '../types/events.js'
import type { ReproduceDoc, Study, StudyOutcome } from '../types/study.js'
import { REPRODUCE_SCHEMA_VERSION } from '../types/study.js'
import { endProgress, interrupts, progressPrinter } from './common.js'
import { out } from './output.js'
import { schemaId } from '../types/schemaIds.js'

export interface ReproduceArgs { studies?: string[], list: boolean, quick: boolean, out: string, json: boolean, catalogue?: string }

/** The studies' rows for --list: their time here, full and quick, or why they cannot run. */
function listing (studies: readonly Study[]): string {
  return listTable(studies.map(s => {
    const notRun = notRunReason(s, false)
    return { study: s, sec: studySec(s, false), quickSec: studySec(s, true), ...(notRun === undefined ? {} : { notRun }) }
  }))
}

/**
 * The document and its page, saved again after every study. A disk that fills is said once and the studies go
 * on (their findings are printed); `unsaved` then says what was not saved, for the error the end raises.
 */
class Keeper {
  unsaved: string | undefined
  constructor (private readonly dir: string, private readonly say: (s: string) => void) {}

  /** Notes what was not saved (a study's own document, or this one). */
  refused (message: string): void {
    if (this.unsaved === undefined) this.say(`warning: ${message}; the studies go on, and their findings are printed`)
    this.unsaved = message
  }

  /** Saves `doc` and its page; the document's path, or undefined when the disk refused. */
  save (doc: ReproduceDoc): string | undefined {
    try {
      const file = saveDoc(this.dir, doc, 'reproduce.json', doc.status === 'complete' ? 'latest-reproduce' : null)
      writeFileAtomic(path.join(this.dir, 'reproduce.html'), renderReproduce(doc))
      return file
    } catch (err) {
      if (!(err instanceof RunError)) throw err
      this.refused(err.message)
      return undefined
    }
  }
}

export async function cmdReproduce (a: ReproduceArgs): Promise<void> {
  const studies = pickStudies(readCatalogue(a.catalogue === undefined ? CATALOGUE : path.resolve(a.catalogue)), a.studies ?? [])
  if (a.list) {
    out(`${listing(studies)}\n\n${os.availableParallelism()} CPUs here; a study's time is its estimate on this host (--quick: the smaller version CI runs)\n`)
    return
  }
  assertWritable(a.out, studiesBytes(studies, a.quick))
  const say = progressPrinter(a.json)
  const ac = interrupts(say)
  const estimateSec = studiesSec(studies, a.quick)
  const runnable = studies.filter(s => notRunReason(s, a.quick) === undefined).length
  say(`reproduce: ${studies.length} stud${studies.length === 1 ? 'y' : 'ies'}${a.quick ? ' (--quick)' : ''}, ${runnable} of them can run here, about ${minutes(estimateSec)}`)
  const createdAt = new Date()
  const dir = createRunDir(a.out, createdAt, 'reproduce-')
  const started = Date.now()
  const outcomes: StudyOutcome[] = []
  const docOf = (status: ReproduceDoc['status']): ReproduceDoc => ({
    $schema: schemaId('reproduce'), schemaVersion: REPRODUCE_SCHEMA_VERSION, kind: 'reproduce', status, tool: { name: 'reuseport-bench', version: toolVersion() }, createdAt: createdAt.toISOString(), command: commandLine(), quick: a.quick, host: hostFacts(), estimateSec, seconds: (Date.now() - started) / 1000, studies: outcomes
  })
  const keeper = new Keeper(dir, say)
  const onStudy = (o: StudyOutcome): void => {
    outcomes.push(o)
    if (o.unsaved !== undefined) keeper.refused(o.unsaved)
    keeper.save(docOf('partial'))
    if (!a.json) { endProgress(); out(`${studyBlock(o)}\n\n`) }
  }
  const onEvent = (e: RunEvent | SessionEvent): void => {
    const p = progressLine(e)
    if (p !== undefined) say(p.line, p.transient)
  }
  try {
    await reproduceStudies(studies, { dir, command: commandLine(), quick: a.quick, signal: ac.signal, onEvent, say, onStudy })
  } catch (err) {
    if (outcomes.length > 0) say(`partial: ${outcomes.length} of ${studies.length} studies done, written to ${path.join(dir, 'reproduce.json')}`)
    throw err
  }
  const doc = docOf('complete')
  keeper.unsaved = outcomes.find(o => o.unsaved !== undefined)?.unsaved
  const file = keeper.save(doc)
  endProgress()
  if (a.json) out(JSON.stringify(doc, null, 2) + '\n')
  else out(`${summaryTable(doc)}\n\n${file === undefined ? '' : `reproduce: ${file}\npage: ${path.join(dir, 'reproduce.html')} `}(${minutes(doc.seconds)}, estimated ${minutes(estimateSec)})\n`)
  if (keeper.unsaved !== undefined) throw new RunError('RB_WRITE_FAILED', `the findings ${a.json ? 'printed' : 'above'} were measured but not all saved: ${keeper.unsaved}`)
}
