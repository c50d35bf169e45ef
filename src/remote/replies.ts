/**
 * The declared shapes of what every remote side answers (hello, clock,
 * status); each role's own operations bring theirs (topology/replies.ts for
 * a server host, load/resultShape.ts for a client host). A host's reply that
 * does not fit fails the request in one line naming the host and the field.
 */
import { array, object, oneOf, record } from '../shape.js'
import type { ReplyShapes } from '../ipc/protocol.js'
import type { RemoteProtocol } from '../types/remote.js'

/** The shapes of a remote side's replies, by operation: the common ones here, each role's from its owner. */
export type RemoteReplies = Partial<ReplyShapes<RemoteProtocol>>

const facts = object({ platform: 'string', release: 'string', arch: 'string', cpus: 'count', node: 'string', hostname: 'string' })

export const COMMON_REPLIES: RemoteReplies = {
  hello: object({ role: oneOf(['server', 'load']), version: 'string', pid: 'count', facts }),
  clock: object({ nowMs: 'number' }),
  status: object({ answered: 'count', refused: record('count') })
}

/** A server host's start: its listeners' processes and the option they share the port with. */
export const SERVER_STARTED = object({ workers: 'count', port: 'count', pids: array('count'), readyMs: 'number', choice: object({ reuseport: 'boolean', reuseportLb: 'boolean', option: 'string', note: 'string' }) })
