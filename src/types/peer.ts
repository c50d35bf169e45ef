/**
 * The other end of a request/reply channel (ipc/channel.ts) as the channel
 * sees it: a child process, or a worker thread standing in for one
 * (proc/threadPeer.ts). It exits once, with a code or a signal, and can be
 * killed.
 */

export interface Peer {
  /** The process it runs in (a thread's is its host process's). */
  readonly pid?: number | undefined
  readonly exitCode: number | null
  readonly signalCode: NodeJS.Signals | null
  kill (signal?: NodeJS.Signals | number): boolean
  once (event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this
  once (event: 'error', listener: (err: Error) => void): this
}
