/**
 * Node's cluster, three ways (a primary process, workers/cluster-primary.js,
 * forks the listeners; its CPU is accounted as a helper's):
 * - cluster: the primary accepts every connection and hands them out round-robin (SCHED_RR, Node's default);
 * - cluster-os: the workers accept from the one socket the primary shares, the OS choosing who (SCHED_NONE);
 * - cluster-reuseport: workers listen with reusePort, each binding its own SO_REUSEPORT socket (Node 22.12+),
 *   so the kernel hashes connections among them and the primary is not in the way.
 */
import type { BusiestClaim, KindClaims, ListenerKind } from './kind.js'
import { viaPrimary } from './launch.js'
import { nodeReuseChoice, REUSE_PORT_OPTION } from './nodeReuseport.js'

const PRIMARY = { script: 'cluster-primary.js', name: 'the cluster primary' }

/** Node's words (doc/api/cluster.md, "How it works") on SCHED_NONE, and the share they name. */
export const NODE_CLAIM: BusiestClaim = { who: "Node's docs say of SCHED_NONE", words: 'over 70% of all connections ended up in just two processes, out of a total of eight', share: 0.7, top: 2, workers: 8 }

/** A cluster kind whose workers ask the primary for its one socket, handed out as `schedule` says. */
function viaPrimarySocket (mode: string, description: string, color: string, schedule: 'rr' | 'none', option: 'cluster (round-robin)' | 'cluster (SCHED_NONE)', claims: KindClaims): ListenerKind {
  return {
    mode,
    description,
    color,
    member: 'listener process',
    oneParent: true,
    claims,
    // UDP has no connections to hand out: every worker receives on the primary's one socket, whatever the schedule.
    ...(schedule === 'rr' ? { byDefault: true, datagrams: true } : {}),
    reuseportGroup: false,
    choose: () => ({ reuseport: false, reuseportLb: false, option, note: '' }),
    launch: async s => await viaPrimary(s, { ...PRIMARY, schedule, socket: { kind: 'listen', host: s.opts.host, port: s.opts.port, backlog: s.opts.backlog } })
  }
}

export const cluster = viaPrimarySocket('cluster', "Node's cluster: the primary accepts and hands connections out round-robin", '#009E73', 'rr', 'cluster (round-robin)',
  { spread: { expect: 'more even than random placement', source: 'cluster hands connections out round-robin' } })

export const clusterOs = viaPrimarySocket('cluster-os', "Node's cluster with SCHED_NONE: the workers accept from the socket the primary shares, the OS choosing which", '#999933', 'none', 'cluster (SCHED_NONE)', { busiest: NODE_CLAIM })

export const clusterReuseport: ListenerKind = {
  mode: 'cluster-reuseport',
  description: "Node's cluster whose workers listen with reusePort: each binds its own SO_REUSEPORT socket and the kernel spreads connections (Node 22.12+ or 23.1+)",
  color: '#AA4499',
  member: 'listener process',
  oneParent: true,
  reuseportGroup: true,
  choose: (caps, node) => nodeReuseChoice('cluster-reuseport', REUSE_PORT_OPTION, 'cluster + SO_REUSEPORT (Node reusePort)', caps, node),
  launch: async s => await viaPrimary(s, { ...PRIMARY, schedule: 'rr', socket: { kind: 'listen', host: s.opts.host, port: s.opts.port, backlog: s.opts.backlog, reusePort: true } })
}
