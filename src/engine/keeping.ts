/**
 * What a session keeps while it runs, where a surface asked for it
 * (store/keeper.ts implements it, in the folder the CLI's --out or the API's
 * `out` names): every finished cell at once, marked partial; the moment a stop
 * is asked for, the cells so far; on a failure, what was measured; and a
 * result finished after the stop was asked for, whole but marked partial.
 * The session drives it, so the CLI and the API keep the same things at the
 * same moments.
 */
import { HarnessError, InterruptedError, messageOf } from '../errors.js'
import type { ResultDoc } from '../types/docs.js'
import type { RunEvent, SessionEvent } from '../types/events.js'

/** Why a kept result is partial: its code and one line. */
export interface Failure { code: string, message: string }

/** Where a session keeps what it measured. */
export interface Keeping {
  /** Each event of the run (a finished cell is kept at once). */
  take (e: RunEvent | SessionEvent): void
  /**
   * The run stopped or failed: `doc` (the whole result, when the run got that far) or the cells so far, marked
   * partial with `failure`. It never throws: what could not be kept is its own to say (it runs on a signal, where
   * nobody could catch it).
   */
  keep (failure: Failure, doc?: ResultDoc): void
}

/** The failure a stop by `reason` (a signal's name) records. */
export function interruptedBy (reason: unknown): Failure {
  return { code: 'RB_INTERRUPTED', message: `interrupted by ${String(reason)}` }
}

/** The failure an error records: its stable code, or RB_ERROR, and its one line. */
export function failureOf (err: unknown): Failure {
  return { code: err instanceof HarnessError ? err.code : 'RB_ERROR', message: messageOf(err) }
}

/**
 * Runs `body` with `keeping` (if any) fed, its events through the `take` it is handed, and kept on every way the
 * run can end: the moment `signal` aborts, before anything is stopped, so a slow stop loses nothing; on a failure;
 * and when the result was finished after the signal (during the analysis), as a partial result. A run whose stop
 * was asked for ends interrupted, kept or not.
 */
export async function keptWhile (keeping: Keeping | undefined, signal: AbortSignal | undefined, body: (take: (e: RunEvent | SessionEvent) => void) => Promise<ResultDoc>): Promise<ResultDoc> {
  const onStop = (): void => { keeping?.keep(interruptedBy(signal?.reason)) }
  signal?.addEventListener('abort', onStop, { once: true })
  let doc: ResultDoc
  try {
    doc = await body(e => { keeping?.take(e) })
  } catch (err) {
    keeping?.keep(failureOf(err))
    throw err
  } finally {
    signal?.removeEventListener('abort', onStop)
  }
  if (signal?.aborted === true) {
    keeping?.keep(interruptedBy(signal.reason), doc)
    throw new InterruptedError(String(signal.reason))
  }
  return doc
}
