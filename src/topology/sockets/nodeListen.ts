/**
 * Node's own listen(): in a cluster worker the primary holds the socket and
 * hands connections out round-robin (cluster mode); with `reusePort`, Node
 * asks for SO_REUSEPORT itself (node-reuseport mode, Node 22.12+).
 */
import { FIELDS } from '../../limits.js'
import { object, optional } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'
import { UsageError } from '../../errors.js'
import { boundDatagram, boundPort, whenListening } from './source.js'
import type { SocketSourceKind } from './source.js'

type NodeListen = Extract<SocketSource, { kind: 'listen' }>

export const nodeListen: SocketSourceKind<NodeListen> = {
  kind: 'listen',
  shape: object({ host: FIELDS.host, port: FIELDS.port, reusePort: optional('boolean'), backlog: optional(FIELDS.backlog) }),
  listen: async (server, src) => {
    const options = { host: src.host, port: src.port, ...(src.reusePort === true ? { reusePort: true } : {}), ...(src.backlog === undefined ? {} : { backlog: src.backlog }) }
    await whenListening(server, done => server.listen(options, done))
    return { port: boundPort(server) }
  },
  // In a cluster worker a bind that is not exclusive gets the primary's one socket, shared by every worker.
  // Node's dgram reusePort (22.12+) is not offered: this project's Node types predate it.
  bindDatagram: async src => {
    if (src.reusePort === true) throw new UsageError("reusePort for UDP is not supported by this harness's listeners yet", 'RB_UNSUPPORTED')
    const socket = await boundDatagram(src.host, { port: src.port, address: src.host, exclusive: false })
    return { socket, port: socket.address().port }
  }
}
