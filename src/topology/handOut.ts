/**
 * The accepting side of a threads host that hands connections out (threads
 * with schedule 'rr'): its main thread listens on the port, accepts each
 * connection paused, and moves it to the next of its listener threads in turn
 * through postMessage's transfer list (topology/sockets/handed.ts takes it
 * there). A thread that cannot take it (it ended, or is being replaced) is
 * skipped; with none, the connection is closed.
 */
import net from 'node:net'
import type { Transferable, Worker } from 'node:worker_threads'
import type { SocketSource } from '../types/listener.js'
import type { HandedConnection } from './sockets/handed.js'

type Listen = Extract<SocketSource, { kind: 'listen' }>

/** The host's acceptor: the port it listens on, and a way to stop. */
export interface HandOut { port: number, close: () => void }

/** Listens on `socket` and hands each accepted connection to the next of `targets()` in turn. */
export async function startHandOut (socket: Listen, targets: () => ReadonlyArray<Worker | undefined>): Promise<HandOut> {
  let next = 0
  const server = net.createServer({ pauseOnConnect: true }, conn => {
    const live = targets()
    for (let tried = 0; tried < live.length; tried++) {
      const w = live[next % live.length]
      next = (next + 1) % Math.max(1, live.length)
      if (w === undefined) continue
      try {
        w.postMessage({ rb: 'handed', socket: conn } satisfies HandedConnection, [conn as unknown as Transferable])
        return
      } catch {}
    }
    conn.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: socket.host, port: socket.port, ...(socket.backlog === undefined ? {} : { backlog: socket.backlog }) }, () => { server.off('error', reject); resolve() })
  })
  const a = server.address()
  return { port: typeof a === 'object' && a !== null ? a.port : 0, close: () => { server.close() } }
}
