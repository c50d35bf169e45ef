/**
 * One listener process. Gets its socket one of three ways (its own
 * SO_REUSEPORT socket through the addon, an inherited fd, or Node's cluster),
 * serves HTTP on it, counts accepted connections and requests, records
 * server-side request latency (microseconds) and event-loop delay, and answers
 * the orchestrator over IPC. Optional scenario behaviour: busy work per
 * request, an injected stall, a steering program on its reuseport group.
 * Exits by itself when the IPC channel to its parent closes (and is killed by
 * the OS when its parent dies); terminal and group signals are the
 * orchestrator's to act on (proc/children.ts managedChild).
 */
import http from 'node:http'
import net from 'node:net'
import type { Socket } from 'node:net'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createHistogram, encodeHistogram } from '../src/collect/histogram.js'
import { errnoCode } from '../src/errors.js'
import { attachSteering, closeSocket, detachSteering, localAddress, openSocket } from '../src/native/index.js'
import { managedChild } from '../src/proc/children.js'
import { CONFIG_ENV, isControlMessage } from '../src/protocol.js'
import type { ControlMessage, ListenerConfig, ListenerMessage, ListenerStats } from '../src/protocol.js'

managedChild('listener')
const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as ListenerConfig | null
if (config === null) {
  process.stderr.write('listener: started without a config; it is run by reuseport-bench\n')
  process.exit(2)
}
const { index, instrument } = config
const workUs = config.workUs ?? 0

function send (m: ListenerMessage, cb?: () => void): void {
  if (process.connected && process.send !== undefined) process.send(m, undefined, {}, () => cb?.())
  else cb?.()
}

/** Keeps this thread busy for `us` microseconds (CPU work, or a stall when long). */
function busy (us: number): void {
  const end = performance.now() + us / 1000
  while (performance.now() < end) { /* spin */ }
}

let accepts = 0
let requests = 0
let errors = 0
let resets = 0
let open = 0
let draining = false
let cpuBase = process.cpuUsage()
const hist = createHistogram()
const loop = monitorEventLoopDelay({ resolution: 5 })
if (instrument) loop.enable()
const body = Buffer.from('ok\n')
const workerHeader = String(index)
const sockets = new Set<Socket>()
let steeringFd = -1
let steering: ListenerStats['steering']

// Built once: the hot path only picks one.
const HEADERS = { 'content-type': 'text/plain', 'content-length': body.length, 'x-worker': workerHeader }
const DRAINING_HEADERS = { ...HEADERS, connection: 'close' }

const server = http.createServer((req, res) => {
  const headers = draining ? DRAINING_HEADERS : HEADERS
  if (!instrument) {
    if (workUs > 0) busy(workUs)
    res.writeHead(200, headers)
    res.end(body)
    return
  }
  const t0 = performance.now() // a double, no BigInt allocation on the hot path
  requests++
  if (workUs > 0) busy(workUs)
  res.writeHead(200, headers)
  res.end(body)
  hist.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)))
})
server.keepAliveTimeout = 30_000
let peers: Record<string, number> = {}
server.on('connection', (sock: Socket) => {
  accepts++
  const peer = sock.remoteAddress ?? '?'
  if (peers[peer] !== undefined || Object.keys(peers).length < 64) peers[peer] = (peers[peer] ?? 0) + 1
  open++
  sockets.add(sock)
  sock.once('close', () => { open--; sockets.delete(sock) })
})
server.on('clientError', (err: NodeJS.ErrnoException, sock: Socket) => {
  if (err.code === 'ECONNRESET') resets++
  else errors++
  if (sock.writable) sock.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
  else sock.destroy()
})

if (config.stall !== undefined) {
  const { forMs, everyMs } = config.stall
  setInterval(() => busy(forMs * 1000), everyMs).unref()
}

const ns = (x: number): number => Math.round((x / 1e6) * 1000) / 1000
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
    histogram: encodeHistogram(hist),
    peers,
    loopDelayMs: loop.count === 0 ? { p50: 0, p99: 0, max: 0 } : { p50: ns(loop.percentile(50)), p99: ns(loop.percentile(99)), max: ns(loop.max) },
    ...(steering === undefined ? {} : { steering })
  }
}

function fail (code: string, message: string): void {
  send({ type: 'error', index, pid: process.pid, code, message }, () => process.exit(1))
}

function detach (): void {
  if (steeringFd < 0 || steering === undefined) return
  try {
    detachSteering(steeringFd)
    steering.detached = 'ok'
  } catch (err) {
    steering.detached = errnoCode(err) ?? 'error'
  }
  steeringFd = -1
}

/**
 * Deploy-style stop: no new connections, answer what is in flight with
 * connection: close, then exit. `busyMs` first keeps the thread busy, as a
 * loaded process is when it is told to stop: connections meanwhile wait in
 * its accept queue, which is what closing a reuseport listener loses.
 */
function drain (seq: number, busyMs: number): void {
  if (busyMs > 0) busy(busyMs * 1000)
  draining = true
  detach()
  // Close only the listening socket: http.Server#close would also drop connections just
  // accepted whose request is still on its way. Give those 100 ms, then close idle ones.
  net.Server.prototype.close.call(server)
  const finish = (): void => send({ type: 'stats', index, pid: process.pid, seq, final: true, stats: stats() }, () => process.exit(0))
  const started = Date.now()
  const check = setInterval(() => {
    if (Date.now() - started >= 100) server.closeIdleConnections()
    if (sockets.size === 0 || Date.now() - started > 1000) {
      clearInterval(check)
      for (const s of sockets) s.destroy()
      finish()
    }
  }, 20)
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
      peers = {}
      hist.reset()
      loop.reset()
      cpuBase = process.cpuUsage()
      send({ type: 'stats', index, pid: process.pid, seq: m.seq, final: false, stats: stats() })
      break
    case 'stop':
      detach()
      server.close()
      send({ type: 'stats', index, pid: process.pid, seq: m.seq, final: true, stats: stats() }, () => process.exit(0))
      break
    case 'drain':
      drain(m.seq, m.busyMs ?? 0)
      break
    case 'restart':
      break // for the cluster primary only
  }
}

process.on('message', (m: unknown) => {
  if (isControlMessage(m)) onControl(m)
})

server.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ELISTEN', `listener ${index}: ${err.message}`))

function ready (port: number): void {
  send({ type: 'ready', index, pid: process.pid, port })
}

function boundPort (): number {
  const a = server.address()
  return typeof a === 'object' && a !== null ? a.port : 0
}

const src = config.socket
try {
  if (src.kind === 'own') {
    const fd = openSocket({ host: src.host, port: src.port, reuseaddr: true, reuseport: src.reuseport, reuseportLb: src.reuseportLb, backlog: src.backlog })
    let port: number
    try {
      port = localAddress(fd).port
      if (config.steer !== undefined) {
        attachSteering(fd, config.steer)
        steeringFd = fd
        steering = { attached: true }
      }
    } catch (err) {
      closeSocket(fd)
      throw err
    }
    server.listen({ fd, backlog: src.backlog }, () => ready(port))
  } else if (src.kind === 'inherited') {
    server.listen({ fd: src.fd }, () => ready(boundPort()))
  } else {
    server.listen({ host: src.host, port: src.port }, () => ready(boundPort()))
  }
} catch (err) {
  const e = err as NodeJS.ErrnoException
  fail(e.code ?? 'ELISTEN', e.message)
}
