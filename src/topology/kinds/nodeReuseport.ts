/**
 * Node's own SO_REUSEPORT: every process calls server.listen({ reusePort: true })
 * on the port (Node 22.12+ / 23.1+), no addon involved; so its figures can be
 * set beside reuseport on our addon. Where the listeners' Node lacks the
 * option (which it would silently ignore) the mode is unsupported.
 */
import { UsageError } from '../../errors.js'
import { hasReusePort } from '../../proc/node.js'
import type { Capabilities } from '../../types/native.js'
import type { ReuseChoice } from '../../types/run.js'
import type { ListenerKind } from './kind.js'
import { perListener } from './launch.js'

/** What a mode that asks Node itself for SO_REUSEPORT needs of the listeners' Node: the check, and its words. */
export interface NodeFeature { has: (version: string) => boolean, needs: string }

export const REUSE_PORT_OPTION: NodeFeature = { has: hasReusePort, needs: 'Node 22.12+ or 23.1+' }

/**
 * The choice of a mode whose listeners ask Node for SO_REUSEPORT (listen's reusePort, net.BoundSocket):
 * unsupported where the listeners' Node lacks the feature or the OS the option; libuv sets plain SO_REUSEPORT.
 */
export function nodeReuseChoice (mode: string, feature: NodeFeature, option: ReuseChoice['option'], caps: Capabilities, node: string): ReuseChoice {
  if (!feature.has(node)) throw new UsageError(`${mode} needs ${feature.needs} for the listeners, which run ${node} (--node PATH runs them under another Node)`, 'RB_UNSUPPORTED')
  if (!caps.SO_REUSEPORT) throw new UsageError(`${mode} needs SO_REUSEPORT, which this OS does not define`, 'RB_UNSUPPORTED')
  return { reuseport: true, reuseportLb: false, option, note: caps.reuseportBalances ? '' : 'Node sets plain SO_REUSEPORT, which does not balance TCP connections on this OS' }
}

export const nodeReuseport: ListenerKind = {
  mode: 'node-reuseport',
  description: "Node's own listen({ reusePort: true }) in every process, without the addon (Node 22.12+ or 23.1+)",
  color: '#56B4E9',
  member: 'listener process',
  reuseportGroup: true,
  // dgram.createSocket({ reusePort }) came in the same Node versions as listen's.
  datagrams: true,
  choose: (caps, node) => nodeReuseChoice('node-reuseport', REUSE_PORT_OPTION, 'SO_REUSEPORT (Node reusePort)', caps, node),
  launch: async s => {
    const { host, backlog } = s.opts
    return await perListener(s, (_index, port) => ({ kind: 'listen', host, port, reusePort: true, backlog }))
  }
}
