/**
 * Who receives a UDP datagram sent to a port several sockets share, asked of this kernel in a network
 * namespace of the probe's own (workers/udp-delivery.ts runs this under `unshare --net`, never on the
 * host): a veth pair, one end with an address, its subnet's broadcast and a multicast route; then, for each way
 * of sharing the port (SO_REUSEPORT on every socket, SO_REUSEADDR on every socket), N sockets bound to the
 * wildcard and joined to a multicast group, and datagrams to them: unicast ones, each from a socket of its
 * own (its own 4-tuple), one to the broadcast address, one to the group. Each socket counts what it got.
 */
import { execFileSync } from 'node:child_process'
import dgram from 'node:dgram'
import { setTimeout as sleep } from 'node:timers/promises'
import { RunError } from '../errors.js'
import { closeSocket, localAddress, openSocket } from '../native/index.js'
import type { DatagramDeliveryRequest } from '../types/agent.js'
import type { DatagramCast, DatagramDeliveryRow } from '../types/probe.js'

/** The namespace's own addresses: a /24 on one end of a veth pair, its broadcast, and an administratively scoped group. */
export const DELIVERY_NET = { link: 'rb0', peer: 'rb1', address: '10.201.0.1', prefix: 24, broadcast: '10.201.0.255', group: '239.201.0.1' } as const

const ip = (...args: string[]): void => { execFileSync('ip', args, { stdio: 'pipe' }) }

/** Inside the new namespace only (it holds nothing but loopback): loopback up, the veth pair, its address and a multicast route. */
export function prepareDeliveryNamespace (): void {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).trim().split('\n')
  if (links.length !== 1 || !/: lo:/.test(links[0] ?? '')) throw new RunError('RB_NETNS', `the datagram-delivery tries run only in a namespace of their own, which holds loopback alone; this one has ${links.length} links`)
  const n = DELIVERY_NET
  ip('link', 'set', 'lo', 'up')
  // A veth pair (not a dummy link: some kernels are built without it), both ends here: the address, its broadcast and the group's route on one end.
  ip('link', 'add', n.link, 'type', 'veth', 'peer', 'name', n.peer)
  ip('addr', 'add', `${n.address}/${n.prefix}`, 'brd', '+', 'dev', n.link)
  ip('link', 'set', n.peer, 'up')
  ip('link', 'set', n.link, 'multicast', 'on', 'up')
  ip('route', 'add', '224.0.0.0/4', 'dev', n.link)
}

/** `sockets` sockets on one wildcard port, each sharing it by `option`, joined to the group; their counts by the tag a datagram carries. */
async function openGroup (option: DatagramDeliveryRow['option'], sockets: number): Promise<{ port: number, counts: Array<Record<DatagramCast, number>>, close: () => void }> {
  const counts: Array<Record<DatagramCast, number>> = []
  const open: dgram.Socket[] = []
  let port = 0
  try {
    for (let i = 0; i < sockets; i++) {
      const fd = openSocket({ host: '0.0.0.0', port, datagram: true, ...(option === 'SO_REUSEPORT' ? { reuseport: true } : { reuseaddr: true }) })
      port = localAddress(fd).port
      const socket = dgram.createSocket('udp4')
      const mine: Record<DatagramCast, number> = { unicast: 0, broadcast: 0, multicast: 0 }
      socket.on('message', m => {
        const cast = m.toString()
        if (cast === 'unicast' || cast === 'broadcast' || cast === 'multicast') mine[cast]++
      })
      try {
        await new Promise<void>(resolve => socket.bind({ fd }, resolve))
      } catch (err) {
        closeSocket(fd)
        throw err
      }
      socket.addMembership(DELIVERY_NET.group, DELIVERY_NET.address)
      open.push(socket)
      counts.push(mine)
    }
  } catch (err) {
    for (const s of open) s.close()
    throw err
  }
  return { port, counts, close: () => { for (const s of open) s.close() } }
}

/** Sends `count` datagrams tagged `cast` to `to`:`port`, each from a socket of its own (bound to the namespace's address, broadcast allowed). */
async function send (cast: DatagramCast, to: string, port: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const s = dgram.createSocket('udp4')
    await new Promise<void>(resolve => s.bind(0, DELIVERY_NET.address, resolve))
    s.setBroadcast(true)
    await new Promise<void>((resolve, reject) => s.send(cast, port, to, err => err === null ? resolve() : reject(err)))
    s.close()
  }
}

/** Every way of sharing the port and every kind of datagram, in turn. */
export async function deliveryRows (req: DatagramDeliveryRequest): Promise<DatagramDeliveryRow[]> {
  const rows: DatagramDeliveryRow[] = []
  for (const option of ['SO_REUSEPORT', 'SO_REUSEADDR'] as const) {
    const g = await openGroup(option, req.sockets)
    try {
      const plan: Array<[DatagramCast, string, number]> = [['unicast', DELIVERY_NET.address, req.unicast], ['broadcast', DELIVERY_NET.broadcast, 1], ['multicast', DELIVERY_NET.group, 1]]
      for (const [cast, to, count] of plan) {
        await send(cast, to, g.port, count)
        await sleep(req.waitMs)
        rows.push({ option, cast, sent: count, received: g.counts.map(c => c[cast]) })
      }
    } finally {
      g.close()
    }
  }
  return rows
}
