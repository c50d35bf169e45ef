/**
 * Node's own listen(): in a cluster worker the primary holds the socket and
 * hands connections out round-robin (cluster mode); with `reusePort`, Node
 * asks for SO_REUSEPORT itself (node-reuseport mode, Node 22.12+).
 */
import { FIELDS } from '../../limits.js'
import { object, optional } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'
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
  // In a cluster worker a bind that is not exclusive gets the primary's one socket, shared by every worker;
  // with reusePort (node-reuseport, Node 22.12+) each process binds a socket of its own in the port's group.
  bindDatagram: async src => {
    const socket = await boundDatagram(src.host, { port: src.port, address: src.host, exclusive: false }, { reusePort: src.reusePort === true })
    return { socket, port: socket.address().port }
  }
}
