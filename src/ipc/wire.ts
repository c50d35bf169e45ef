/**
 * How the request/reply helper's envelopes travel: over a child's Node IPC
 * channel, or as JSON lines over a pair of byte streams (a remote side's
 * stdin and stdout, reached through `ssh`, `ip netns exec`, `kubectl exec -i`).
 * A line longer than its limit is never held whole: it is dropped up to its
 * newline and reported, as is a line that is not JSON.
 */
import type { ChildProcess } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import type { MessagePort, Worker } from 'node:worker_threads'

/** Why a line was not delivered as a message. */
export type LineFault = 'oversized' | 'malformed'

/** One end of a message channel. */
export interface Wire {
  /** Whether a message can still be sent. */
  readonly open: boolean
  send: (m: unknown, done?: () => void) => void
  onMessage: (cb: (m: unknown) => void) => void
  /** Closes the sending side: the other end sees the channel end. */
  end: () => void
}

/** The parent's end of a child's Node IPC channel. */
export function childIpcWire (child: ChildProcess): Wire {
  return {
    get open () { return child.connected },
    send: (m, done) => { child.send(m as object, undefined, {}, () => done?.()) },
    onMessage: cb => { child.on('message', cb) },
    end: () => { if (child.connected) child.disconnect() }
  }
}

/** This process's end of the IPC channel its parent opened. */
export function parentIpcWire (): Wire {
  return {
    get open () { return process.connected && process.send !== undefined },
    send: (m, done) => {
      if (process.connected && process.send !== undefined) process.send(m, undefined, {}, () => done?.())
      else done?.()
    },
    onMessage: cb => { process.on('message', cb) },
    end: () => { if (process.connected) process.disconnect() }
  }
}

/** What a wire needs of a worker thread or of its port: postMessage, messages, and an event when it ends. */
interface PostTarget {
  postMessage: (m: unknown) => void
  on: (event: 'message', cb: (m: unknown) => void) => unknown
  once: (event: string, cb: () => void) => unknown
}

/** A wire over postMessage: open until `endEvent`; `end` ends the other side. */
function postWire (target: PostTarget, endEvent: string, end: () => void): Wire {
  let open = true
  target.once(endEvent, () => { open = false })
  return {
    get open () { return open },
    send: (m, done) => {
      if (open) target.postMessage(m)
      done?.()
    },
    onMessage: cb => { target.on('message', cb) },
    end: () => { if (open) end() }
  }
}

/** The host's end of a worker thread's port; ending it ends the thread (as a closed IPC channel ends a listener process). */
export function threadWire (worker: Worker): Wire {
  return postWire(worker, 'exit', () => { void worker.terminate() })
}

/** A worker thread's end of its port to the host (worker_threads parentPort). */
export function portWire (port: MessagePort): Wire {
  return postWire(port, 'close', () => port.close())
}

/**
 * Splits a byte stream into lines of at most `maxBytes` each; a longer line is
 * discarded as it arrives (never buffered whole) and reported once, as `fault`.
 */
export class LineSplitter {
  private parts: Buffer[] = []
  private size = 0
  private skipping = false

  constructor (private readonly maxBytes: number, private readonly onLine: (line: string) => void, private readonly onFault: (f: LineFault) => void) {}

  push (chunk: Buffer): void {
    let from = 0
    for (;;) {
      const nl = chunk.indexOf(10, from)
      const piece = chunk.subarray(from, nl === -1 ? chunk.length : nl)
      this.take(piece)
      if (nl === -1) return
      this.endLine()
      from = nl + 1
    }
  }

  private take (piece: Buffer): void {
    if (this.skipping || piece.length === 0) return
    if (this.size + piece.length > this.maxBytes) {
      this.parts = []
      this.size = 0
      this.skipping = true
      this.onFault('oversized')
      return
    }
    this.parts.push(piece)
    this.size += piece.length
  }

  private endLine (): void {
    const line = Buffer.concat(this.parts).toString('utf8').trim()
    const skipped = this.skipping
    this.parts = []
    this.size = 0
    this.skipping = false
    if (!skipped && line !== '') this.onLine(line)
  }
}

/** JSON lines: each message one line of JSON; what is not JSON is reported as 'malformed'. */
export function lineWire (input: Readable, output: Writable, o: { maxLineBytes: number, onFault: (f: LineFault, line?: string) => void }): Wire {
  const listeners: Array<(m: unknown) => void> = []
  const splitter = new LineSplitter(o.maxLineBytes, line => {
    let m: unknown
    try {
      m = JSON.parse(line)
    } catch {
      o.onFault('malformed', line)
      return
    }
    for (const l of listeners) l(m)
  }, f => o.onFault(f))
  input.on('data', (d: Buffer) => splitter.push(d))
  // The other end gone (EPIPE): nothing more can be sent; whoever watches the stream's end or the process acts on it.
  let broken = false
  output.on('error', () => { broken = true })
  const open = (): boolean => !broken && output.writable && !output.writableEnded
  return {
    get open () { return open() },
    send: (m, done) => {
      if (!open()) { done?.(); return }
      output.write(JSON.stringify(m) + '\n', () => done?.())
    },
    onMessage: cb => { listeners.push(cb) },
    end: () => { if (!output.writableEnded) output.end() }
  }
}
