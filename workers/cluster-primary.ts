/**
 * The primary of Node's cluster modes, in its own process so that its
 * distribution does not compete with the load generator. It forks the
 * listeners with cluster and answers for all of them (topology/primary.ts).
 * The start request says how connections are handed out: 'rr' (round-robin,
 * the cluster mode) or 'none' (the workers accept from the socket the
 * primary shares, the OS choosing: cluster-os). Workers that listen with
 * reusePort (cluster-reuseport) bind their own sockets and skip it.
 */
import cluster from 'node:cluster'
import { fileURLToPath } from 'node:url'
import { ProtocolChannel } from '../src/ipc/protocol.js'
import { managedChild } from '../src/proc/children.js'
import { servePrimary } from '../src/topology/primary.js'
import { LISTENER_REPLIES } from '../src/topology/replies.js'
import type { ListenerProtocol } from '../src/types/listener.js'
import { childExecArgv } from '../src/proc/node.js'

managedChild('cluster-primary')

servePrimary({
  noun: 'cluster worker',
  // Node reads the policy once, when the primary is set up: before the first fork.
  setUp: req => {
    cluster.schedulingPolicy = req.schedule === 'none' ? cluster.SCHED_NONE : cluster.SCHED_RR
    cluster.setupPrimary({ exec: fileURLToPath(new URL('./listener.js', import.meta.url)), silent: false, execArgv: childExecArgv() })
  },
  make: (i, onExit) => {
    const worker = cluster.fork()
    const channel = new ProtocolChannel<ListenerProtocol>(worker.process, `cluster worker ${i}`).checkReplies(LISTENER_REPLIES)
    worker.on('exit', (code, signal) => onExit(code, signal, ''))
    return { channel, kill: () => worker.process.kill('SIGKILL'), dead: () => worker.isDead() }
  }
}, 'cluster')
