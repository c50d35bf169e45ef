/**
 * A probe agent: a separate process that opens, listens on and closes sockets
 * when the probe asks, so socket A and socket B live in different processes as
 * in the article. Exits when its IPC channel closes.
 */
import net from 'node:net'
import { errnoCode } from '../src/errors.js'
import { closeSocket, listenSocket, openSocket } from '../src/native/index.js'
import type { AgentReply, AgentRequest } from '../src/probe/protocol.js'

if (typeof process.send !== 'function') {
  process.stderr.write('probe-agent: run by `reuseport-bench probe`\n')
  process.exit(2)
}
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {})

const uid = typeof process.getuid === 'function' ? process.getuid() : -1

function reply (r: AgentReply): void {
  if (process.connected) process.send?.(r)
}

function failure (id: number, err: unknown, failedAt: string): AgentReply {
  return { id, ok: false, code: errnoCode(err) ?? 'EUNKNOWN', failedAt, message: err instanceof Error ? err.message : String(err), uid }
}

async function timeWait (host: string, port: number): Promise<void> {
  const fd = openSocket({ host, port, reuseaddr: true, backlog: 8 })
  const server = net.createServer(s => { s.end() }) // the server closes first, so its side goes to TIME_WAIT
  await new Promise<void>(resolve => server.listen({ fd }, resolve))
  await new Promise<void>((resolve, reject) => {
    const c = net.connect(port, host)
    c.on('error', reject)
    c.resume()
    c.on('end', () => c.end())
    c.on('close', () => resolve())
  })
  await new Promise<void>(resolve => server.close(() => resolve()))
}

process.on('message', (m: AgentRequest) => {
  switch (m.op) {
    case 'open': {
      const s = m.spec
      let fd: number
      try {
        fd = openSocket({ host: s.host, port: s.port, reuseaddr: s.reuseaddr, reuseport: s.reuseport, reuseportLb: s.reuseportLb, v6only: s.v6only })
      } catch (err) {
        reply(failure(m.id, err, (err as { syscall?: string }).syscall ?? 'open'))
        return
      }
      if (s.listen) {
        try {
          listenSocket(fd, 16)
        } catch (err) {
          closeSocket(fd)
          reply(failure(m.id, err, 'listen'))
          return
        }
      }
      reply({ id: m.id, ok: true, fd, uid })
      return
    }
    case 'listen':
      try {
        listenSocket(m.fd, 16)
        reply({ id: m.id, ok: true, uid })
      } catch (err) {
        reply(failure(m.id, err, 'listen'))
      }
      return
    case 'close':
      try { closeSocket(m.fd) } catch {}
      reply({ id: m.id, ok: true, uid })
      return
    case 'timewait':
      timeWait(m.host, m.port).then(() => reply({ id: m.id, ok: true, uid }), err => reply(failure(m.id, err, 'timewait')))
  }
})
