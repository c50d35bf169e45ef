/**
 * One listener process. Gets its socket one of three ways (its own
 * SO_REUSEPORT socket through the addon, an inherited fd, or Node's cluster),
 * serves HTTP on it, counts accepted connections and requests, records
 * server-side request latency (microseconds) and answers the orchestrator over
 * IPC. Exits by itself when the IPC channel to its parent closes.
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Socket } from 'node:net'
import { createHistogram, encodeHistogram } from '../src/collect/histogram.js'
import { closeSocket, localAddress, openSocket } from '../src/native/index.js'
import { CONFIG_ENV, isControlMessage } from '../src/protocol.js'
import type { ControlMessage, ListenerConfig, ListenerMessage, ListenerStats } from '../src/protocol.js'

const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as ListenerConfig | null
if (config === null || typeof process.send !== 'function') {
  process.stderr.write('listener: started without a config or an IPC channel; it is run by reuseport-bench\n')
  process.exit(2)
}
const { index, instrument } = config

function send (m: ListenerMessage, cb?: () => void): void {
  if (process.connected && process.send !== undefined) process.send(m, undefined, {}, () => cb?.())
  else cb?.()
}

// Ctrl-C in a terminal reaches the whole process group; the orchestrator
// decides when listeners stop, and it stops them over IPC.
process.on('SIGINT', () => {})
process.on('disconnect', () => process.exit(0))

let accepts = 0
let requests = 0
let errors = 0
let resets = 0
let open = 0
let cpuBase = process.cpuUsage()
const hist = createHistogram()
const body = Buffer.from('ok\n')
const workerHeader = String(index)

const server = http.createServer((req, res) => {
  if (!instrument) {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length, 'x-worker': workerHeader })
    res.end(body)
    return
  }
  const t0 = performance.now() // a double, no BigInt allocation on the hot path
  requests++
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length, 'x-worker': workerHeader })
  res.end(body)
  hist.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)))
})
server.keepAliveTimeout = 30_000
server.on('connection', (sock: Socket) => {
  accepts++
  open++
  sock.once('close', () => { open-- })
})
server.on('clientError', (err: NodeJS.ErrnoException, sock: Socket) => {
  if (err.code === 'ECONNRESET') resets++
  else errors++
  if (sock.writable) sock.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
  else sock.destroy()
})

function stats (): ListenerStats {
  const cpu = process.cpuUsage(cpuBase)
  return {
    accepts,
    requests,
    errors,
    resets,
    open,
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rssBytes: process.memoryUsage.rss(),
    histogram: encodeHistogram(hist)
  }
}

function fail (code: string, message: string): void {
  send({ type: 'error', index, pid: process.pid, code, message }, () => process.exit(1))
}

function onControl (m: ControlMessage): void {
  switch (m.type) {
    case 'stats':
      send({ type: 'stats', index, pid: process.pid, seq: m.seq, final: false, stats: stats() })
      break
    case 'reset':
      accepts = 0
      requests = 0
      errors = 0
      resets = 0
      hist.reset()
      cpuBase = process.cpuUsage()
      send({ type: 'stats', index, pid: process.pid, seq: m.seq, final: false, stats: stats() })
      break
    case 'stop':
      server.close()
      send({ type: 'stats', index, pid: process.pid, seq: m.seq, final: true, stats: stats() }, () => process.exit(0))
      break
  }
}

process.on('message', (m: unknown) => {
  if (isControlMessage(m)) onControl(m)
})

server.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ELISTEN', `listener ${index}: ${err.message}`))

const src = config.socket
try {
  if (src.kind === 'own') {
    const fd = openSocket({ host: src.host, port: src.port, reuseaddr: true, reuseport: src.reuseport, reuseportLb: src.reuseportLb, backlog: src.backlog })
    let port: number
    try {
      port = localAddress(fd).port
    } catch (err) {
      closeSocket(fd)
      throw err
    }
    server.listen({ fd, backlog: src.backlog }, () => send({ type: 'ready', index, pid: process.pid, port }))
  } else if (src.kind === 'inherited') {
    server.listen({ fd: src.fd }, () => {
      const a = server.address()
      send({ type: 'ready', index, pid: process.pid, port: typeof a === 'object' && a !== null ? a.port : 0 })
    })
  } else {
    server.listen({ host: src.host, port: src.port }, () => {
      const a = server.address()
      send({ type: 'ready', index, pid: process.pid, port: typeof a === 'object' && a !== null ? a.port : 0 })
    })
  }
} catch (err) {
  const e = err as NodeJS.ErrnoException
  fail(e.code ?? 'ELISTEN', e.message)
}
