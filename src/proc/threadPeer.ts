/**
 * A worker thread as the request/reply helper's peer (types/peer.ts), so
 * that the host of listener threads talks to each one as the cluster primary
 * talks to its worker processes: it exits once (with the thread's exit code),
 * is killed by terminating it, and what it said last (an uncaught error, or
 * the line it sends before it ends itself) is kept for the error that names it.
 */
import { EventEmitter } from 'node:events'
import type { Worker } from 'node:worker_threads'
import type { Peer } from '../types/peer.js'
import { fieldOf } from '../shape.js'
import { noteLastWords } from './children.js'

/** What a thread sends just before it ends itself (a listener's fatal line: a --handler that threw). */
export interface LastWords { rb: 'last-words', line: string }

export function isLastWords (m: unknown): m is LastWords {
  return fieldOf(m, 'rb') === 'last-words' && typeof fieldOf(m, 'line') === 'string'
}

export class ThreadPeer extends EventEmitter implements Peer {
  readonly pid = process.pid
  exitCode: number | null = null
  readonly signalCode: NodeJS.Signals | null = null
  private terminated = false

  constructor (readonly worker: Worker) {
    super()
    worker.on('message', (m: unknown) => { if (isLastWords(m)) noteLastWords(this, m.line) })
    // An uncaught error in the thread: its exit follows.
    worker.on('error', (err: Error) => noteLastWords(this, `Error: ${err.message}`))
    worker.once('exit', code => {
      this.exitCode = code
      this.emit('exit', code, this.terminated ? 'SIGKILL' : null)
    })
  }

  kill (): boolean {
    this.terminated = true
    void this.worker.terminate()
    return true
  }
}
