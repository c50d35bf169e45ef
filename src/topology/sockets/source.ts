/**
 * What a socket source is: one way a listener process gets the socket it
 * accepts on (its own through the addon, one inherited from the group, Node's
 * own listen). A source carries the shape its configuration must have when it
 * arrives over IPC and how a listener listens with it. Sources are registered
 * in topology/sockets/index.ts; workers/listener.ts reads the registry.
 */
import dgram from 'node:dgram'
import type http from 'node:http'
import { isIP } from 'node:net'
import type net from 'node:net'
import type { Shape } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'

/** What listening gave: the port, and the fd of a socket of the listener's own (a steering program goes on it; the stall probe reads its queue). */
export interface Listening { port: number, fd?: number }

/** A UDP socket a listener receives on, bound: its port, and its fd where the listener opened it itself. */
export interface DatagramSocket { socket: dgram.Socket, port: number, fd?: number }

export interface SocketSourceKind<S extends SocketSource = SocketSource> {
  readonly kind: S['kind']
  /** The fields of its configuration besides `kind`, checked before a listener uses them. */
  readonly shape: Shape
  /** Makes `server` listen on this source. */
  listen (server: http.Server, src: S): Promise<Listening>
  /** A UDP socket bound as this source binds (--protocol udp); absent where the source has no UDP form. */
  bindDatagram? (src: S): Promise<DatagramSocket>
  /**
   * Another UDP socket on the same `port`, bound alike and connected to `peer` (--udp-connect), with `onMessage`
   * listening from its bind on: between its bind and its connect it is an unconnected member of the group, and
   * the kernel may queue there the datagrams of other flows. Absent where the source cannot make one.
   */
  connectDatagram? (src: S, port: number, peer: { address: string, port: number }, onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo, socket: dgram.Socket) => void): Promise<dgram.Socket>
}

/** dgram's socket options with `reusePort` (Node 22.12+ and 23.1+), which this project's Node 20 types predate. */
interface DatagramSocketOptions extends dgram.SocketOptions { reusePort?: boolean }

/** A dgram socket of `host`'s family, bound with `options` (an fd to adopt, or a port and address), `onMessage` listening from the start, `reusePort` Node's own; rejects on its first error. */
export function boundDatagram (host: string, options: dgram.BindOptions, { onMessage, reusePort = false }: { onMessage?: (msg: Buffer, rinfo: dgram.RemoteInfo, socket: dgram.Socket) => void, reusePort?: boolean } = {}): Promise<dgram.Socket> {
  const socketOptions: DatagramSocketOptions = { type: isIP(host) === 6 ? 'udp6' : 'udp4', ...(reusePort ? { reusePort: true } : {}) }
  const socket = dgram.createSocket(socketOptions)
  if (onMessage !== undefined) socket.on('message', (msg, rinfo) => onMessage(msg, rinfo, socket))
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(options, () => { socket.off('error', reject); resolve(socket) })
  })
}

/** The port `server` listens on. */
export function boundPort (server: net.Server): number {
  const a = server.address()
  return typeof a === 'object' && a !== null ? a.port : 0
}

/** Resolves once `server` listens (the callback of listen), rejects on its first error. */
export function whenListening (server: net.Server, listen: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    listen(() => { server.off('error', reject); resolve() })
  })
}
