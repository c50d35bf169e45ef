/**
 * Transports are command prefixes people already use to reach a host: `ssh -p
 * 22 user@host`, `vagrant ssh NAME --`, `kubectl exec -i POD --`, `ip netns
 * exec NS`. The harness starts the remote side as PREFIX + the remote command
 * + `serve|load --control stdio`, with no shell in between here; what the
 * prefix does with the words (ssh hands them to the remote shell) is its own.
 */
import { LOAD_HEAP_MB } from '../types/load.js'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../errors.js'
import type { ControlRole } from '../types/remote.js'

const BIN = fileURLToPath(new URL('../../../bin/reuseport-bench.js', import.meta.url))

/**
 * Splits a command line into words as a shell would for plain quoting: spaces
 * separate, '...' and "..." group, a backslash escapes the next character. No
 * expansion of any kind. An unclosed quote is bad input.
 */
export function splitWords (text: string, flag: string): string[] {
  const words: string[] = []
  let cur = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    if (quote !== null) {
      if (ch === quote) quote = null
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i] ?? ''
      else cur += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      inWord = true
    } else if (ch === '\\' && i + 1 < text.length) {
      cur += text[++i] ?? ''
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur)
      cur = ''
      inWord = false
    } else {
      cur += ch
      inWord = true
    }
  }
  if (quote !== null) throw new UsageError(`--${flag} '${text}' has an unclosed ${quote} quote`)
  if (inWord) words.push(cur)
  return words
}

/** The remote command when none is given: this Node and this installation, at the same paths on the other host. */
export function defaultRemoteCommand (role: ControlRole = 'server'): string[] {
  // A client host's load side runs its load in its own process: its heap is capped as the local load generator's is.
  return role === 'load' ? [process.execPath, `--max-old-space-size=${LOAD_HEAP_MB}`, BIN] : [process.execPath, BIN]
}

/** The argv that starts `role`'s control side through `via`. */
export function controlArgv (via: string, remoteCommand: string | null, role: ControlRole, handler: string | null = null): string[] {
  const prefix = splitWords(via, role === 'server' ? 'server-via' : 'client-via')
  const command = remoteCommand === null ? defaultRemoteCommand(role) : splitWords(remoteCommand, 'remote-command')
  // The server host loads a handler only when its own command line names it, and then only that file.
  const allow = role === 'server' && handler !== null ? ['--handler', handler] : []
  return [...prefix, ...command, role === 'server' ? 'serve' : 'load', '--control', 'stdio', ...allow]
}
