/**
 * The registry of socket sources: every way a listener process gets its
 * socket. A new one is one file beside this one plus one line here (and its
 * member of SocketSource in types/listener.ts); the listener process and the
 * check of its configuration read this list.
 */
import { tagged } from '../../shape.js'
import type { Shape } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'
import { boundSocket } from './bound.js'
import { handedSocket } from './handed.js'
import { inheritedSocket } from './inherited.js'
import { nodeListen } from './nodeListen.js'
import { ownSocket } from './own.js'
import type { SocketSourceKind } from './source.js'

export const SOCKET_SOURCES: readonly SocketSourceKind[] = [
  ownSocket,
  inheritedSocket,
  nodeListen,
  boundSocket,
  handedSocket
]

/** The source a configuration names. */
export function socketSourceOf (src: SocketSource): SocketSourceKind {
  const s = SOCKET_SOURCES.find(x => x.kind === src.kind)
  if (s === undefined) throw new Error(`no socket source '${src.kind}'`)
  return s
}

/** The shape of any socket source, by its `kind`. */
export const SOCKET_SOURCE: Shape = tagged('kind', Object.fromEntries(SOCKET_SOURCES.map(s => [s.kind, s.shape])))
