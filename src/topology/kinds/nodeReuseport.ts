/**
 * Node's own SO_REUSEPORT: every process calls server.listen({ reusePort: true })
 * on the port (Node 22.12+ / 23.1+), no addon involved; so its figures can be
 * set beside reuseport on our addon. Where the listeners' Node lacks the
 * option (which it would silently ignore) the mode is unsupported.
 */
import { UsageError } from '../../errors.js'
import { hasReusePort } from '../../proc/node.js'
import type { ListenerKind } from './kind.js'
import { ProcessPerListener } from './perProcess.js'

export const nodeReuseport: ListenerKind = {
  mode: 'node-reuseport',
  description: "Node's own listen({ reusePort: true }) in every process, without the addon (Node 22.12+ or 23.1+)",
  reuseportGroup: true,
  choose: (caps, node) => {
    if (!hasReusePort(node)) throw new UsageError(`node-reuseport needs Node 22.12+ or 23.1+ for the listeners, which run ${node} (--node PATH runs them under another Node)`, 'RB_UNSUPPORTED')
    if (!caps.SO_REUSEPORT) throw new UsageError('node-reuseport needs SO_REUSEPORT, which this OS does not define', 'RB_UNSUPPORTED')
    return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT (Node reusePort)', note: caps.reuseportBalances ? '' : 'Node sets plain SO_REUSEPORT, which does not balance TCP connections on this OS' }
  },
  launch: async s => {
    const { host, backlog } = s.opts
    return await new ProcessPerListener(s, (_index, port) => ({ kind: 'listen', host, port, reusePort: true, backlog })).startAll(false)
  }
}
