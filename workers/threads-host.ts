/**
 * The host of the threads modes: one process whose worker threads
 * (workers/listener-thread.ts) are the group's listeners. Each has its own
 * socket on the port (threads), or, when the start request says schedule
 * 'rr', this process's main thread accepts every connection and hands them to
 * the threads in turn (threads-rr; topology/handOut.ts). It answers for all of
 * them (topology/primary.ts); a thread that throws, or whose --handler fails,
 * ends this process with one line naming the thread. Pinned as a listener
 * process is: its threads inherit the CPUs.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ProtocolChannel } from '../src/ipc/protocol.js'
import { threadWire } from '../src/ipc/wire.js'
import { lastStderrLine, managedChild } from '../src/proc/children.js'
import { ThreadPeer } from '../src/proc/threadPeer.js'
import { startHandOut } from '../src/topology/handOut.js'
import { servePrimary } from '../src/topology/primary.js'
import { LISTENER_REPLIES } from '../src/topology/replies.js'
import type { ListenerProtocol } from '../src/types/listener.js'
import { childExecArgv } from '../src/proc/node.js'

const LISTENER_THREAD = fileURLToPath(new URL('./listener-thread.js', import.meta.url))

managedChild('threads-host')

/** The threads that listen, by listener index, for the hand-out; a thread made for an index joins once it listens (a replacement then takes the old one's place). */
const threads: Array<Worker | undefined> = []
const starting = new Map<number, Worker>()

servePrimary({
  noun: 'listener thread',
  setUp: async req => {
    const socket = req.listener.socket
    if (req.schedule !== 'rr' || socket.kind !== 'listen') return undefined
    const port = await startHandOut(socket, () => threads)
    return { kind: 'handed', port }
  },
  listening: i => {
    threads[i] = starting.get(i)
    starting.delete(i)
  },
  make: (i, onExit) => {
    const worker = new Worker(LISTENER_THREAD, { name: `listener ${i}`, execArgv: childExecArgv() })
    const peer = new ThreadPeer(worker)
    const channel = new ProtocolChannel<ListenerProtocol>(peer, `listener thread ${i}`, threadWire(worker)).checkReplies(LISTENER_REPLIES)
    starting.set(i, worker)
    peer.once('exit', (code, signal) => {
      if (threads[i] === worker) threads[i] = undefined
      onExit(code, signal, lastStderrLine(peer))
    })
    return { channel, kill: () => peer.kill(), dead: () => peer.exitCode !== null }
  }
}, 'threads')
