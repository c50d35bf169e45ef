/**
 * What a user's handler did wrong, in one line, and when it is something a
 * worker thread cannot do (process.chdir, a native addon that is not
 * context-aware, ...) a line that says so and which modes can run it.
 */
import { UsageError } from '../../errors.js'

/** Node's ways of saying an operation is not available in a worker thread. */
const THREAD_CODES = new Set(['ERR_WORKER_UNSUPPORTED_OPERATION', 'ERR_DLOPEN_FAILED', 'ERR_WORKER_INVALID_EXEC_ARGV'])
const THREAD_WORDS = /not supported in workers|in worker threads|worker thread|did not self-register|context.aware/i

const messageOf = (err: unknown): string => err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)

/** Whether `err` (or its cause) says the operation cannot run in a worker thread. */
export function notInThreads (err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if ((typeof code === 'string' && THREAD_CODES.has(code)) || THREAD_WORDS.test(e.message)) return true
  }
  return false
}

/** The one line a handler failure ends the run with: it could not load, it threw, or it cannot run in a thread. */
export function handlerError (file: string, err: unknown, where: 'process' | 'thread'): UsageError {
  if (where === 'thread' && notInThreads(err)) {
    const why = messageOf(err).replace(/^--handler [^:]*: (cannot be loaded: )?/, '')
    return new UsageError(`--handler ${file}: cannot run in a worker thread (mode threads): ${why}; run it in a process mode (reuseport, shared, cluster...)`, 'RB_USAGE', { cause: err })
  }
  if (err instanceof UsageError) return err
  return new UsageError(`--handler ${file}: threw: ${messageOf(err)}`, 'RB_USAGE', { cause: err })
}
