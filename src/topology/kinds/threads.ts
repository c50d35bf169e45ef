/**
 * Worker threads: one process (workers/threads-host.js) whose N worker
 * threads are the listeners, each with its own SO_REUSEPORT socket on the
 * port through the addon (the option reuseport uses on this OS), so the
 * kernel spreads connections among threads as it does among processes. Each
 * thread counts its own accepts, requests, latency, event loop and CPU time
 * (its thread's); memory is the one process's.
 */
import type { ListenerKind } from './kind.js'
import { THREADS_HOST, viaPrimary } from './launch.js'
import { reuseport } from './own.js'

export const threads: ListenerKind = {
  mode: 'threads',
  description: 'worker threads in one process, each with its own SO_REUSEPORT socket (the option reuseport uses here)',
  color: '#882255',
  member: 'listener thread',
  oneParent: true,
  reuseportGroup: true,
  choose: (caps, node, kernel) => reuseport.choose(caps, node, kernel),
  launch: async (s, choice) => {
    const { host, port, backlog } = s.opts
    return await viaPrimary(s, { ...THREADS_HOST, socket: { kind: 'own', host, port, reuseport: choice.reuseport, reuseportLb: choice.reuseportLb, backlog } })
  }
}
