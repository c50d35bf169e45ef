/**
 * The datagram-delivery tries (src/probe/deliveryTry.ts), in the network namespace of its own that
 * src/probe/datagramDelivery.ts starts it in (`unshare --net`): its veth pair and routes made there,
 * never on the host; every row answered as one reply.
 */
import { serveProtocol } from '../src/ipc/protocol.js'
import { managedChild } from '../src/proc/children.js'
import { deliveryRows, prepareDeliveryNamespace } from '../src/probe/deliveryTry.js'
import type { DatagramDeliveryProtocol } from '../src/types/agent.js'

managedChild('udp-delivery')

serveProtocol<DatagramDeliveryProtocol>({ deliver: async req => {
  prepareDeliveryNamespace()
  return await deliveryRows(req)
} })
