/**
 * Helpers shared by the commands: Ctrl-C handling, progress lines.
 */
import { err } from './output.js'
import { signalExitCode } from '../errors.js'
import { GROUP_SIGNALS, killAll, stopRequested } from '../proc/children.js'

/**
 * How long after the first signal a run may take to stop its processes before they are all killed. What it
 * measured is saved before the stop begins, so this bounds only the stop: 1.5 s was too short at a load
 * average of 13, where the stop itself took longer.
 */
export const STOP_GRACE_MS = 5000

/**
 * A repeat of the first signal within this long is the same request, not a second one: `timeout`, a
 * terminal's Ctrl-C, systemd and `kill -- -PGID` signal the process and its group, and some send to both.
 */
export const SAME_SIGNAL_MS = 500

/**
 * An AbortController fired by the first SIGINT, SIGTERM or SIGHUP: the run
 * stops its processes, keeps what it finished, and exits with 128 + the
 * signal's number. Whoever runs on the signal keeps what was measured at once,
 * before anything is stopped (the session does, engine/keeping.ts), so that a
 * stop too slow for the grace still keeps it; `keptIn` names where, if the
 * grace runs out. If the run has not ended `graceMs` later, every child is
 * SIGKILLed and the process exits; a second signal does that at once, unless
 * it is the first one again within SAME_SIGNAL_MS (then it is ignored).
 */
export function interrupts (say: (s: string) => void, graceMs = STOP_GRACE_MS, keptIn: () => string | undefined = () => undefined): AbortController {
  const ac = new AbortController()
  let first: { sig: NodeJS.Signals, at: number } | undefined
  const hardExit = (sig: NodeJS.Signals, why: string): void => {
    killAll()
    const kept = keptIn()
    err(`reuseport-bench: ${why}${kept === undefined ? '' : `; the partial result is kept in ${kept}`}\n`)
    process.exit(signalExitCode(sig))
  }
  const on = (sig: NodeJS.Signals): void => {
    if (first !== undefined && first.sig === sig && Date.now() - first.at < SAME_SIGNAL_MS) return
    if (ac.signal.aborted) return hardExit(sig, `${sig} again: killed every process of the run`)
    first = { sig, at: Date.now() }
    stopRequested(sig)
    say(`\n${sig}: stopping listeners...`)
    ac.abort(sig)
    setTimeout(() => hardExit(sig, `${sig}: did not stop within ${graceMs} ms; killed every process of the run`), graceMs).unref()
  }
  for (const sig of GROUP_SIGNALS) process.on(sig, on)
  return ac
}

/** Whether a transient progress line is on the terminal now, to be cleared before anything else is written. */
let pending = false

/** Clears a transient progress line, so that what comes next (a table on stdout) starts on a clean line. */
export function endProgress (): void {
  if (pending) err('\r\x1b[K')
  pending = false
}

export function progressPrinter (quiet: boolean): (line: string, transient?: boolean) => void {
  const tty = process.stderr.isTTY === true
  return (line, transient = false) => {
    if (quiet) return
    if (transient) {
      if (!tty) return
      err(`\r\x1b[K${line}`)
      pending = true
      return
    }
    endProgress()
    err(line + '\n')
  }
}

/** Colour on `stream` only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor (stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === ''
}

