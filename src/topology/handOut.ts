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
import { boundPort, whenListening } from './sockets/source.js'

type Listen = Extract<SocketSource, { kind: 'listen' }>

/** Listens on `socket` and hands each accepted connection to the next of `targets()` in turn; resolves with the port. It listens until the host process ends. */
export async function startHandOut (socket: Listen, targets: () => ReadonlyArray<Worker | undefined>): Promise<number> {
  let next = 0
  const server = net.createServer({ pauseOnConnect: true }, conn => {
    const live = targets()
    for (let tried = 0; tried < live.length; tried++) {
      const w = live[next++ % live.length]
      if (w === undefined) continue
      try {
        w.postMessage({ rb: 'handed', socket: conn } satisfies HandedConnection, [conn as unknown as Transferable])
        return
      } catch {}
    }
    conn.destroy()
  })
  await whenListening(server, done => server.listen({ host: socket.host, port: socket.port, ...(socket.backlog === undefined ? {} : { backlog: socket.backlog }) }, done))
  return boundPort(server)
}
