/**
 * A socket of the listener's own, made by the addon with the options the kind
 * chose (SO_REUSEPORT, SO_REUSEPORT_LB, SO_INCOMING_CPU): the reuseport,
 * reuseport-plain, single and incoming-cpu modes. Node listens on the fd
 * again; the listener keeps the fd for a steering program (topology/steer).
 */
import type dgram from 'node:dgram'
import { closeSocket, localAddress, openSocket, pinProcess } from '../../native/index.js'
import { FIELDS, MAX_CPU } from '../../limits.js'
import { int, object, optional } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'
import { boundDatagram, whenListening } from './source.js'
import type { DatagramSocket, Listening, SocketSourceKind } from './source.js'

type Own = Extract<SocketSource, { kind: 'own' }>

export const ownSocket: SocketSourceKind<Own> = {
  kind: 'own',
  shape: object({ host: FIELDS.host, port: FIELDS.port, reuseport: 'boolean', reuseportLb: 'boolean', backlog: FIELDS.backlog, incomingCpu: optional(int(0, MAX_CPU)) }),
  listen: async (server, src): Promise<Listening> => {
    if (src.incomingCpu !== undefined) pinProcess(0, [src.incomingCpu])
    const fd = openSocket({ host: src.host, port: src.port, reuseaddr: true, reuseport: src.reuseport, reuseportLb: src.reuseportLb, backlog: src.backlog, ...(src.incomingCpu === undefined ? {} : { incomingCpu: src.incomingCpu }) })
    try {
      const port = localAddress(fd).port
      // Node listens on the fd again: the backlog must be its second argument (in the options it is ignored for an fd, and 511 replaces ours).
      await whenListening(server, done => server.listen({ fd }, src.backlog, done))
      return { port, fd }
    } catch (err) {
      closeSocket(fd)
      throw err
    }
  },
  connectDatagram: async (src, port, peer, onMessage): Promise<dgram.Socket> => {
    const fd = openSocket({ host: src.host, port, reuseaddr: true, reuseport: src.reuseport, reuseportLb: src.reuseportLb, datagram: true })
    let socket: dgram.Socket
    try {
      socket = await boundDatagram(src.host, { fd }, { onMessage })
    } catch (err) {
      closeSocket(fd)
      throw err
    }
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.connect(peer.port, peer.address, () => { socket.off('error', reject); resolve() })
    }).catch((err: unknown) => { socket.close(); throw err })
    return socket
  },
  bindDatagram: async (src): Promise<DatagramSocket> => {
    const fd = openSocket({ host: src.host, port: src.port, reuseaddr: true, reuseport: src.reuseport, reuseportLb: src.reuseportLb, datagram: true })
    try {
      const port = localAddress(fd).port
      return { socket: await boundDatagram(src.host, { fd }), port, fd }
    } catch (err) {
      closeSocket(fd)
      throw err
    }
  }
}
