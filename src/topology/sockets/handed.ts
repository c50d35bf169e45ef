/**
 * No socket of the listener's own: a worker thread serves the connections its
 * host accepted and moved to it through postMessage's transfer list (the
 * threads' counterpart of cluster's round-robin: topology/handOut.ts is the
 * host's side). Each arrives paused (the host accepts with pauseOnConnect, so
 * no byte is read before the move); the thread's server takes it as if it had
 * accepted it, then lets it read.
 */
import type { Socket } from 'node:net'
import { parentPort } from 'node:worker_threads'
import { FIELDS } from '../../limits.js'
import { fieldOf, object } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'
import type { SocketSourceKind } from './source.js'

type Handed = Extract<SocketSource, { kind: 'handed' }>

/** The message a host moves one accepted connection with. */
export interface HandedConnection { rb: 'handed', socket: Socket }

export function isHanded (m: unknown): m is HandedConnection {
  return fieldOf(m, 'rb') === 'handed' && typeof fieldOf(fieldOf(m, 'socket'), 'resume') === 'function'
}

export const handedSocket: SocketSourceKind<Handed> = {
  kind: 'handed',
  shape: object({ port: FIELDS.port }),
  listen: async (server, src) => {
    const port = parentPort
    if (port === null) throw new Error('a handed socket source serves a worker thread, and this is not one')
    port.on('message', (m: unknown) => {
      if (!isHanded(m)) return
      server.emit('connection', m.socket)
      m.socket.resume()
    })
    return { port: src.port }
  }
}
