/**
 * threads-rr: the threads' counterpart of cluster's round-robin. One process
 * (workers/threads-host.js) whose main thread accepts every connection and
 * moves each, in turn, to one of N worker threads through postMessage's
 * transfer list; the threads serve them (no socket of their own). Moving an
 * accepted net.Socket to a thread is Node 24.20+ / 26.6+ (nodejs/node#64225);
 * on an older Node for the listeners the mode is skipped with that reason.
 */
import { UsageError } from '../../errors.js'
import { hasSocketTransfer } from '../../proc/node.js'
import type { ListenerKind } from './kind.js'
import { THREADS_HOST, viaPrimary } from './launch.js'

export const threadsRr: ListenerKind = {
  mode: 'threads-rr',
  description: "worker threads in one process whose main thread accepts and hands each connection to the next thread in turn (Node 24.20+ or 26.6+): the threads' counterpart of cluster's round-robin",
  // Paul Tol's muted indigo, distinct from the other kinds' colours.
  color: '#332288',
  member: 'listener thread',
  oneParent: true,
  claims: { spread: { expect: 'more even than random placement', source: 'the host hands connections out in turn' } },
  reuseportGroup: false,
  choose: (_caps, node) => {
    if (!hasSocketTransfer(node)) throw new UsageError(`threads-rr needs Node 24.20+ or 26.6+ for the listeners (moving an accepted socket to a worker thread through postMessage), which run ${node} (--node PATH runs them under another Node)`, 'RB_UNSUPPORTED')
    return { reuseport: false, reuseportLb: false, option: 'threads (round-robin)', note: '' }
  },
  launch: async s => {
    const { host, port, backlog } = s.opts
    return await viaPrimary(s, { ...THREADS_HOST, schedule: 'rr', socket: { kind: 'listen', host, port, backlog } })
  }
}
