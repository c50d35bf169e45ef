/**
 * net.BoundSocket: every process binds its own SO_REUSEPORT socket with
 * Node's net.BoundSocket({ reusePort: true }) (Node 24.19+ / 26.4+) and
 * listens on it, no addon involved; so its figures can be set beside
 * reuseport on our addon, from which it should not differ. Where the
 * listeners' Node lacks it the mode is unsupported, with the reason.
 */
import { hasBoundSocket } from '../../proc/node.js'
import type { ListenerKind } from './kind.js'
import { perListener } from './launch.js'
import { nodeReuseChoice } from './nodeReuseport.js'

export const boundSocket: ListenerKind = {
  mode: 'bound-socket',
  description: "Node's own net.BoundSocket({ reusePort: true }) in every process, adopted by listen(), without the addon (Node 24.19+ or 26.4+)",
  // Beyond Okabe-Ito's eight: Paul Tol's muted scheme, also distinct under the common deficiencies.
  color: '#44AA99',
  member: 'listener process',
  reuseportGroup: true,
  choose: (caps, node) => nodeReuseChoice('bound-socket', { has: hasBoundSocket, needs: 'net.BoundSocket (Node 24.19+ or 26.4+)' }, 'SO_REUSEPORT (net.BoundSocket)', caps, node),
  launch: async s => {
    const { host, backlog } = s.opts
    return await perListener(s, (_index, port) => ({ kind: 'bound', host, port, backlog }))
  }
}
