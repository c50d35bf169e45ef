/**
 * Listener kinds where every process opens its own socket on the port through
 * the addon: reuseport (the balancing option this OS has), reuseport-plain
 * (plain SO_REUSEPORT everywhere) and single (one process, no sharing).
 * Which option is decided from the addon's capabilities() (what the headers
 * define), never from the platform name.
 */
import { UsageError } from '../../errors.js'
import type { Capabilities } from '../../types/native.js'
import type { ReuseChoice } from '../../types/run.js'
import type { ListenerKind, RunningListeners, Spawner } from './kind.js'
import { perListener } from './launch.js'

async function launchOwn (s: Spawner, choice: ReuseChoice): Promise<RunningListeners> {
  const { host, backlog } = s.opts
  // A steering program picks sockets by their position in the group (join order): join in index order.
  return await perListener(s, (_index, port) => ({ kind: 'own', host, port, reuseport: choice.reuseport, reuseportLb: choice.reuseportLb, backlog }), { inOrder: s.opts.steer !== undefined })
}

function chooseReuseport (caps: Capabilities): ReuseChoice {
  if (caps.SO_REUSEPORT && caps.reuseportBalances) return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT', note: '' }
  if (caps.SO_REUSEPORT_LB) return { reuseport: false, reuseportLb: true, option: 'SO_REUSEPORT_LB', note: 'plain SO_REUSEPORT does not balance TCP connections on this OS, so reuseport uses SO_REUSEPORT_LB (see reuseport-plain for the plain option)' }
  if (caps.SO_REUSEPORT) return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT', note: 'this OS has no balancing variant of SO_REUSEPORT: expect one listener to take the connections' }
  throw new UsageError('mode reuseport needs SO_REUSEPORT or SO_REUSEPORT_LB, and this OS defines neither', 'RB_UNSUPPORTED')
}

export const reuseport: ListenerKind = {
  mode: 'reuseport',
  description: 'one SO_REUSEPORT socket per process (SO_REUSEPORT_LB where plain SO_REUSEPORT does not balance)',
  color: '#0072B2',
  member: 'listener process',
  byDefault: true,
  claims: {
    spread: { expect: 'consistent with random hashing', source: 'Google: with SO_REUSEPORT "the distribution is uniform", which per connection is random placement' },
    stallTail: true
  },
  reuseportGroup: true,
  steerable: true,
  datagrams: true,
  connectsFlows: true,
  choose: chooseReuseport,
  launch: launchOwn
}

export const reuseportPlain: ListenerKind = {
  mode: 'reuseport-plain',
  description: 'plain SO_REUSEPORT everywhere, balancing or not',
  color: '#E69F00',
  member: 'listener process',
  reuseportGroup: true,
  steerable: true,
  datagrams: true,
  connectsFlows: true,
  choose: caps => {
    if (!caps.SO_REUSEPORT) throw new UsageError('mode reuseport-plain needs SO_REUSEPORT, which this OS does not define', 'RB_UNSUPPORTED')
    return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT', note: caps.reuseportBalances ? 'plain SO_REUSEPORT balances on this OS: the same as reuseport here' : 'plain SO_REUSEPORT: on this OS the last socket to bind takes the connections' }
  },
  launch: launchOwn
}

export const single: ListenerKind = {
  mode: 'single',
  description: 'one process, no port sharing (a floor to compare with)',
  color: '#CC79A7',
  member: 'listener process',
  reuseportGroup: false,
  datagrams: true,
  connectsFlows: true,
  workers: 1,
  choose: () => ({ reuseport: false, reuseportLb: false, option: 'none', note: '' }),
  launch: launchOwn
}
