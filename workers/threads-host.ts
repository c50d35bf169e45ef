/**
 * The host of the threads mode: one process whose worker threads
 * (workers/listener-thread.ts) are the group's listeners, each with its own
 * socket on the port. It answers for all of them (topology/primary.ts); a
 * thread that throws, or whose --handler fails, ends this process with one
 * line naming the thread. Pinned as a listener process is: its threads
 * inherit the CPUs.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ProtocolChannel } from '../src/ipc/protocol.js'
import { threadWire } from '../src/ipc/wire.js'
import { lastStderrLine, managedChild } from '../src/proc/children.js'
import { ThreadPeer } from '../src/proc/threadPeer.js'
import { servePrimary } from '../src/topology/primary.js'
import type { ListenerProtocol } from '../src/types/listener.js'
import { childExecArgv } from '../src/proc/node.js'

const LISTENER_THREAD = fileURLToPath(new URL('./listener-thread.js', import.meta.url))

managedChild('threads-host')

servePrimary({
  noun: 'listener thread',
  make: (i, onExit) => {
    const worker = new Worker(LISTENER_THREAD, { name: `listener ${i}`, execArgv: childExecArgv() })
    const peer = new ThreadPeer(worker)
    const channel = new ProtocolChannel<ListenerProtocol>(peer, `listener thread ${i}`, threadWire(worker))
    peer.once('exit', (code, signal) => onExit(code, signal, lastStderrLine(peer)))
    return { channel, kill: () => peer.kill(), dead: () => peer.exitCode !== null }
  }
}, 'threads')
