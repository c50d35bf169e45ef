/**
 * The run's result folder and the cells finished so far. After every cell the
 * result is written (atomically) as partial, so even a killed orchestrator
 * leaves what it finished; `latest` moves only to a complete result. A run
 * that is stopped (a signal, a failure) keeps what it measured with its
 * report and points `latest-partial` at it, or, with no cell done, leaves no
 * folder behind. The session decides when (engine/keeping.ts); the CLI and
 * the API only say where (`keepingIn`).
 */
import { messageOf, RunError } from '../errors.js'
import type { RunSamples } from '../analyse/result.js'
import { buildResult } from '../analyse/result.js'
import { resultMeta, sessionCells } from '../engine/session.js'
import type { Session } from '../engine/session.js'
import type { Failure, Keeping } from '../engine/keeping.js'
import { commandLine } from '../proc/commandLine.js'
import { writeArtifacts } from './artifacts.js'
import { assertWritable, expectedBytes, makeDirs } from './files.js'
import { createRunDir, removeIfEmpty, saveDoc } from './runDir.js'
import type { PrecisionStop, ResultDoc } from '../types/docs.js'
import type { RunEvent, SessionEvent } from '../types/events.js'
import type { RunPlan } from '../types/plan.js'
import type { ModeRun } from '../types/run.js'

export class ResultKeeper implements Keeping {
  readonly cells: ModeRun[] = []
  /** Where each configuration's rounds stopped (a precision or a budget asked), an interrupted one included. */
  readonly stops: PrecisionStop[] = []
  /** Whether a partial save has already failed and been said once. */
  private warned = false
  /** How many cells the last kept partial result held (-1: none kept yet), so a second keep of the same says nothing new. */
  private keptCells = -1
  private keptFile: string | undefined
  /** The path of the partial result kept last, if any. */
  get kept (): string | undefined { return this.keptFile }

  constructor (readonly dir: string, private readonly plan: RunPlan, private readonly samples: RunSamples, private readonly createdAt: Date, private readonly say: (s: string) => void) {}

  /** What the keeper takes from the run's events: each finished cell, and where each configuration's rounds stopped. */
  take (e: RunEvent | SessionEvent): void {
    if (e.type === 'cell-done') this.add(e.run)
    if (e.type === 'rounds-stopped') this.stops.push(e.stop)
  }

  /** Keeps a finished cell and saves the partial result; a disk that fills warns once and the run goes on (its end says what was not saved). */
  private add (run: ModeRun): void {
    this.cells.push(run)
    try {
      this.savePartial({ code: 'RB_INCOMPLETE', message: `the run had not finished when this was written (${this.cells.length} cells done)` })
    } catch (err) {
      if (!(err instanceof RunError)) throw err
      if (!this.warned) this.say(`warning: ${err.message}; the run goes on, and its figures are printed at the end`)
      this.warned = true
    }
  }

  /** The cells so far as a result marked partial (null with none). */
  partialDoc (failure: Failure): ResultDoc | null {
    if (this.cells.length === 0) return null
    const doc = buildResult(this.plan, this.samples, this.cells, resultMeta(commandLine(), this.createdAt))
    doc.status = 'partial'
    doc.failure = failure
    if (this.stops.length > 0) doc.precision = [...this.stops]
    return doc
  }

  /** Saves the cells so far marked partial; `link` names a link beside the folder to point at it (never `latest`). */
  savePartial (failure: Failure, link: string | null = null): string | undefined {
    const doc = this.partialDoc(failure)
    if (doc === null) return undefined
    makeDirs(this.dir) // a stop with no cell done removed it; a cell finished since brings it back
    return saveDoc(this.dir, doc, 'result.json', link)
  }

  /**
   * A stopped run's result: `doc` (everything measured, when the run got that far) or the cells so far,
   * marked partial, with its report, `latest-partial` pointed at it; said once. With nothing measured,
   * the folder is removed. Returns the result's path.
   */
  keep (failure: Failure, doc?: ResultDoc): string | undefined {
    try {
      return this.keepNow(failure, doc)
    } catch (err) {
      this.say(`could not keep what was measured: ${messageOf(err)}`)
      return undefined
    }
  }

  private keepNow (failure: Failure, doc: ResultDoc | undefined): string | undefined {
    const whole = doc === undefined ? this.partialDoc(failure) : { ...doc, status: 'partial' as const, failure }
    const cells = whole?.runs.length ?? 0
    // The same cells again say nothing new; a whole analysed result (a signal during the analysis) replaces them quietly.
    const again = cells === this.keptCells
    if (again && doc === undefined) return this.keptFile
    this.keptCells = cells
    if (whole === null) {
      removeIfEmpty(this.dir)
      this.say('no cell completed; no result written')
      return undefined
    }
    makeDirs(this.dir)
    this.keptFile = saveDoc(this.dir, whole, 'result.json', 'latest-partial')
    try {
      writeArtifacts(this.dir, whole)
    } catch (err) {
      this.say(`the partial result's report was not written: ${messageOf(err)}`)
    }
    if (!again) this.say(`partial result (${cells} cells done) written to ${this.keptFile}`)
    return this.keptFile
  }
}

/** A keeper for session `s` in a new run folder under `out` (refused first, as bad input naming `flag`, where there is no room for the run's files). */
export function keepingIn (out: string, s: Session, say: (s: string) => void, flag = '--out'): ResultKeeper {
  assertWritable(out, expectedBytes(sessionCells(s)), flag)
  return new ResultKeeper(createRunDir(out, s.createdAt), s.plan, s.samples, s.createdAt, say)
}
