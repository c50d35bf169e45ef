/**
 * Every error the harness raises on purpose. Each has a stable `code` and an
 * exit code: 2 for bad input (usage), 1 for a run that failed. The CLI prints
 * `message` on one line and never a stack trace for these.
 */
export type ErrorCode =
  | 'RB_USAGE'
  | 'RB_PORT_IN_USE'
  | 'RB_ADDR_NOT_LOCAL'
  | 'RB_UNSUPPORTED'
  | 'RB_ADDON_MISSING'
  | 'RB_LISTENER_START'
  | 'RB_LISTENER_DIED'
  | 'RB_LISTENER_TIMEOUT'
  | 'RB_LOAD_FAILED'
  | 'RB_INTERRUPTED'
  | 'RB_BAD_RESULT'
  | 'RB_WRITE_FAILED'
  | 'RB_THRESHOLD'
  | 'RB_INVALID_CELL'
  | 'RB_NO_VALID_CELL'
  | 'RB_PHASE_TIMEOUT'
  | 'RB_CHILD_EXITED'
  | 'RB_NETNS'
  | 'RB_AGENT'
  | 'RB_PIN_FAILED'
  | 'RB_CONTROL_REFUSED'
  | 'RB_HOST_LOST'
  /** A process, thread or host answered with a reply that does not fit its operation's declared shape. */
  | 'RB_BAD_REPLY'
  | 'RB_ERROR'

export class HarnessError extends Error {
  readonly code: ErrorCode
  readonly exitCode: number
  constructor (code: ErrorCode, message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'HarnessError'
    this.code = code
    this.exitCode = exitCode
  }
}

/** Bad input from the user: exit code 2. */
/**
 * Exit codes: 0 done; 1 a run failed (a listener died, a deadline passed); 2 bad input (one line, nothing
 * started or left running); 3 a --fail-if threshold was crossed (the result is written); 4 a cell shared
 * its port with sockets outside the run and is invalid (the result is written, the cell marked); 128 + N a signal.
 */
export const THRESHOLD_EXIT = 3
export const INVALID_EXIT = 4
/** No cell of the run measured the listeners (every one invalid): nothing to rank or compare. */
export const NO_VALID_EXIT = 5

export class UsageError extends HarnessError {
  constructor (message: string, code: ErrorCode = 'RB_USAGE', options?: { cause?: unknown }) {
    super(code, message, 2, options)
    this.name = 'UsageError'
  }
}

/** A run that could not complete: exit code 1. */
export class RunError extends HarnessError {
  constructor (code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, 1, options)
    this.name = 'RunError'
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }

/** The exit code of a run ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function signalExitCode (signal: string): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 2)
}

/**
 * A phase of a run (listener start, warm-up, reset, load, stats, stop,
 * restart) missed its deadline: the message names the phase and the processes
 * that did not answer. Exit code 1.
 */
export class PhaseTimeoutError extends RunError {
  constructor (readonly phase: string, what: string, deadlineMs: number, who: string) {
    super('RB_PHASE_TIMEOUT', `phase '${phase}' of ${what} missed its deadline of ${(deadlineMs / 1000).toFixed(1)} s: ${who}`)
    this.name = 'PhaseTimeoutError'
  }
}

/** The run was stopped by a signal: exit code 128 + the signal's number. */
export class InterruptedError extends HarnessError {
  constructor (signal: string) {
    super('RB_INTERRUPTED', `interrupted by ${signal}; listeners stopped`, signalExitCode(signal))
    this.name = 'InterruptedError'
  }
}

/** The `code` of an errno-style error (from the addon or Node), if any. */
export function errnoCode (err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code
    return typeof code === 'string' ? code : undefined
  }
  return undefined
}

/** A one-line message for any thrown value. */
export function messageOf (err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0] ?? text
}
