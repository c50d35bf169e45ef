/**
 * Helpers shared by the commands: OS support checks, Ctrl-C handling, progress lines, the command line as typed.
 */
import { capabilities } from '../native/index.js'
import type { Mode } from '../protocol.js'
import { reuseChoice } from '../topology/options.js'

/** Checks that this OS can do what the modes need, from the addon's capabilities. */
export function assertSupported (modes: readonly Mode[]): void {
  const caps = capabilities()
  for (const m of modes) reuseChoice(m, caps)
}

/** An AbortController fired by the first SIGINT/SIGTERM; a second one exits at once. */
export function interrupts (say: (s: string) => void): AbortController {
  const ac = new AbortController()
  const on = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) process.exit(130)
    say(`\n${sig}: stopping listeners...`)
    ac.abort(sig)
    setTimeout(() => { process.stderr.write('reuseport-bench: did not stop in time; killed listeners\n'); process.exit(130) }, 3000).unref()
  }
  process.on('SIGINT', on)
  process.on('SIGTERM', on)
  return ac
}

export function progressPrinter (quiet: boolean): (line: string, transient?: boolean) => void {
  const tty = process.stderr.isTTY === true
  let pending = false
  return (line, transient = false) => {
    if (quiet) return
    if (transient) {
      if (!tty) return
      process.stderr.write(`\r\x1b[K${line}`)
      pending = true
      return
    }
    if (pending) process.stderr.write('\r\x1b[K')
    pending = false
    process.stderr.write(line + '\n')
  }
}

export function commandLine (): string {
  return ['reuseport-bench', ...process.argv.slice(2)].map(a => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`).join(' ')
}
