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

export class HarnessError extends Error {
  readonly code: ErrorCode
  readonly exitCode: number
  constructor (code: ErrorCode, message: string, exitCode: number) {
    super(message)
    this.name = 'HarnessError'
    this.code = code
    this.exitCode = exitCode
  }
}

/** Bad input from the user: exit code 2. */
export class UsageError extends HarnessError {
  constructor (message: string, code: ErrorCode = 'RB_USAGE') {
    super(code, message, 2)
    this.name = 'UsageError'
  }
}

/** A run that could not complete: exit code 1. */
export class RunError extends HarnessError {
  constructor (code: ErrorCode, message: string) {
    super(code, message, 1)
    this.name = 'RunError'
  }
}

/** The run was stopped by a signal: exit code 130. */
export class InterruptedError extends HarnessError {
  constructor (signal: string) {
    super('RB_INTERRUPTED', `interrupted by ${signal}; listeners stopped`, signal === 'SIGTERM' ? 143 : 130)
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
