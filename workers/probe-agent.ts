/**
 * A probe agent: a separate process that opens, listens on and closes sockets
 * when the probe asks, so socket A and socket B live in different processes as
 * in the article. Exits when its IPC channel closes.
 */
import net from 'node:net'
import { errnoCode } from '../src/errors.js'
import { serve } from '../src/ipc/channel.js'
import { closeSocket, listenSocket, openSocket } from '../src/native/index.js'
import { managedChild } from '../src/proc/children.js'
import type { AgentReply, AgentRequest, SocketSpec } from '../src/types/agent.js'

managedChild('probe-agent')

const uid = typeof process.getuid === 'function' ? process.getuid() : -1

function failure (err: unknown, failedAt: string): AgentReply {
  return { ok: false, code: errnoCode(err) ?? 'EUNKNOWN', failedAt, message: err instanceof Error ? err.message : String(err), uid }
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

function open (s: SocketSpec): AgentReply {
  let fd: number
  try {
    fd = openSocket({ host: s.host, port: s.port, reuseaddr: s.reuseaddr, reuseport: s.reuseport, reuseportLb: s.reuseportLb, v6only: s.v6only, ...(s.datagram === true ? { datagram: true } : {}) })
  } catch (err) {
    return failure(err, (err as { syscall?: string }).syscall ?? 'open')
  }
  if (s.listen) {
    try {
      listenSocket(fd, 16)
    } catch (err) {
      closeSocket(fd)
      return failure(err, 'listen')
    }
  }
  return { ok: true, fd, uid }
}

serve<AgentRequest, never, AgentReply>(async m => {
  switch (m.op) {
    case 'hello':
      return { ok: true, uid }
    case 'open':
      return open(m.spec)
    case 'listen':
      try {
        listenSocket(m.fd, 16)
        return { ok: true, uid }
      } catch (err) {
        return failure(err, 'listen')
      }
    case 'close':
      try { closeSocket(m.fd) } catch {}
      return { ok: true, uid }
    case 'timewait':
      return await timeWait(m.host, m.port).then((): AgentReply => ({ ok: true, uid }), err => failure(err, 'timewait'))
  }
})
