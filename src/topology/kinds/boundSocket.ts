/**
 * net.BoundSocket: every process binds its own SO_REUSEPORT socket with
 * Node's net.BoundSocket({ reusePort: true }) (Node 24.19+ / 26.4+) and
 * listens on it, no addon involved; so its figures can be set beside
 * reuseport on our addon, from which it should not differ. Where the
 * listeners' Node lacks it the mode is unsupported, with the reason.
 */
import { UsageError } from '../../errors.js'
import { hasBoundSocket } from '../../proc/node.js'
import type { ListenerKind } from './kind.js'
import { ProcessPerListener } from './perProcess.js'

export const boundSocket: ListenerKind = {
  mode: 'bound-socket',
  description: "Node's own net.BoundSocket({ reusePort: true }) in every process, adopted by listen(), without the addon (Node 24.19+ or 26.4+)",
  reuseportGroup: true,
  choose: (caps, node) => {
    if (!hasBoundSocket(node)) throw new UsageError(`bound-socket needs net.BoundSocket (Node 24.19+ or 26.4+) for the listeners, which run ${node} (--node PATH runs them under another Node)`, 'RB_UNSUPPORTED')
    if (!caps.SO_REUSEPORT) throw new UsageError('bound-socket needs SO_REUSEPORT, which this OS does not define', 'RB_UNSUPPORTED')
    return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT (net.BoundSocket)', note: caps.reuseportBalances ? '' : 'Node sets plain SO_REUSEPORT, which does not balance TCP connections on this OS' }
  },
  launch: async s => {
    const { host, backlog } = s.opts
    return await new ProcessPerListener(s, (_index, port) => ({ kind: 'bound', host, port, backlog })).startAll(false)
  }
}
