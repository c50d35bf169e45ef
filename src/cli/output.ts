/**
 * The one writer of every command's output, and the one way a command exits.
 *
 * On Linux a pipe on stdout is written asynchronously: what the reader has not
 * taken yet waits in this process, and a `process.exit()` right after a write
 * drops it (a `--json` cut at 64 KiB). So nothing exits while output is still
 * queued: `exitAfterOutput` waits until stdout and stderr have handed all of
 * it to the kernel, however slow the reader. A reader that went away (EPIPE)
 * is not an error of ours: the rest of the output is dropped without a stack
 * trace or a message, and the command ends with the exit code it would have had.
 */

import { inertButOurs } from '../inert.js'

type Stream = NodeJS.WriteStream

/** Streams whose reader has gone away; nothing more is written to them. */
const gone = new Set<Stream>()

function watch (stream: Stream): void {
  // EPIPE (the reader closed the pipe) or any other write error: the output has nowhere to go.
  stream.on('error', () => { gone.add(stream) })
}
watch(process.stdout)
watch(process.stderr)

function put (stream: Stream, text: string): void {
  if (text === '' || gone.has(stream) || stream.destroyed) return
  // Whatever a document, a flag or a remote host put in the text, only this tool's own colours reach the terminal.
  stream.write(inertButOurs(text))
}

/** Writes the command's output (tables, JSON, paths) to stdout. */
export function out (text: string): void {
  put(process.stdout, text)
}

/** Writes a message (progress, warnings, the error line) to stderr. */
export function err (text: string): void {
  put(process.stderr, text)
}

/**
 * Resolves once `stream` has no queued output (or cannot take any more). A write's callback runs once it, and so
 * every write before it, is handed to the kernel or has failed: 'drain' alone comes only after a write that filled
 * the buffer, so a short line still queued was waited for by nothing but the event loop emptying.
 */
function drained (stream: Stream): Promise<void> {
  return new Promise(resolve => {
    if (gone.has(stream) || stream.destroyed || stream.writableLength === 0) {
      resolve()
      return
    }
    stream.write('', () => { resolve() })
  })
}

/** Waits until stdout and stderr have been handed to the kernel whole. */
async function flushOutput (): Promise<void> {
  await Promise.all([drained(process.stdout), drained(process.stderr)])
}

/** Exits with `code` once every byte of output is written (or its reader is gone). */
export async function exitAfterOutput (code: number): Promise<never> {
  process.exitCode = code
  await flushOutput()
  process.exit(code)
}
