/**
 * A listening socket made once by the group and handed down to every
 * listener as an inherited file descriptor (the shared mode): they all accept
 * from one queue. Node listens on it again, with the plan's backlog.
 */
import { FIELDS } from '../../limits.js'
import { int, object } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'
import { boundDatagram, boundPort, whenListening } from './source.js'
import type { SocketSourceKind } from './source.js'

type Inherited = Extract<SocketSource, { kind: 'inherited' }>

export const inheritedSocket: SocketSourceKind<Inherited> = {
  kind: 'inherited',
  shape: object({ fd: int(0, 65535), backlog: FIELDS.backlog }),
  listen: async (server, src) => {
    await whenListening(server, done => server.listen({ fd: src.fd }, src.backlog, done))
    return { port: boundPort(server) }
  },
  bindDatagram: async src => {
    const { localAddress } = await import('../../native/index.js')
    const local = localAddress(src.fd)
    return { socket: await boundDatagram(local.address, { fd: src.fd }), port: local.port }
  }
}
