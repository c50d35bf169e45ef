/**
 * One listener process. Gets its socket one of three ways (its own
 * SO_REUSEPORT socket through the addon, an inherited fd, or Node's own
 * listen(): as a cluster worker, or with Node's reusePort option),
 * serves HTTP on it, counts accepted connections and requests, records
 * server-side request latency (microseconds) and event-loop delay, and answers
 * the orchestrator's requests (types/listener.ts) over the one request/reply
 * helper; its configuration is its first request. Optional scenario
 * behaviour: busy work per request, an injected stall, a steering program on
 * its reuseport group. Exits by itself when the IPC channel to its parent
 * closes (and is killed by the OS when its parent dies); terminal and group
 * signals are the orchestrator's to act on (proc/children.ts managedChild).
 */
import http from 'node:http'
import net from 'node:net'
import type { Socket } from 'node:net'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createHistogram, encodeHistogram } from '../src/collect/histogram.js'
import { errnoCode, RunError, UsageError } from '../src/errors.js'
import { serveProtocol } from '../src/ipc/protocol.js'
import { detachSteering } from '../src/native/index.js'
import { managedChild } from '../src/proc/children.js'
import { portInUse } from '../src/topology/address.js'
import { callHandler, loadHandler } from '../src/topology/handler.js'
import { checkListenerConfig } from '../src/topology/listenerConfig.js'
import { socketSourceOf } from '../src/topology/sockets/index.js'
import type { ListenerConfig, ListenerProtocol, ListenerReady, ListenerSnapshot, ListenerStats } from '../src/types/listener.js'

managedChild('listener')

/** Keeps this thread busy for `us` microseconds (CPU work, or a stall when long). */
function busy (us: number): void {
  const end = performance.now() + us / 1000
  while (performance.now() < end) { /* spin */ }
}

let config: ListenerConfig | undefined
let accepts = 0
let requests = 0
let errors = 0
let resets = 0
let open = 0
let draining = false
let cpuBase = process.cpuUsage()
const hist = createHistogram()
/** The delay monitor's timer period: every sample includes it, so it is taken off (an idle listener reads about 0). */
const RESOLUTION_MS = 5
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
let eluBase = performance.eventLoopUtilization()
// A string, not a Buffer: Node then sends the head and the body in one write.
const body = 'ok\n'
const sockets = new Set<Socket>()
let steeringFd = -1
let steering: ListenerStats['steering']
let peers: Record<string, number> = {}
// Built once on start. A connection stays with its listener, so only its first response says which
// (x-worker, with the content-length an explicit writeHead needs); later ones are a plain server's.
let FIRST_HEADERS: string[] = []
let DRAINING_HEADERS: string[] = []
/** Set on a connection until its first response is written. */
const FRESH = Symbol('fresh')
type Conn = Socket & { [FRESH]?: boolean }

/** Whether this is its connection's first response (asked once per response: the answer is true only once). */
function firstOnConnection (res: http.ServerResponse): boolean {
  const sock = res.socket as Conn | null
  if (sock === null || sock[FRESH] !== true) return false
  sock[FRESH] = false
  return true
}

/** Server time of a request that began at `t0` (performance.now()), in microseconds. */
function recordSince (t0: number): void {
  hist.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)))
}

/** The head of this response: attribution on a connection's first, connection: close while draining, else Node's own. */
function writeHead (res: http.ServerResponse): void {
  if (draining) res.writeHead(200, DRAINING_HEADERS)
  else if (firstOnConnection(res)) res.writeHead(200, FIRST_HEADERS)
}

let userHandler: http.RequestListener | undefined

/** A handler that throws has broken the measurement: one line naming the file, and exit 2 (the group reports it as bad input). */
function handlerFailed (err: unknown): void {
  process.stderr.write(`Error: --handler ${config?.handler ?? '?'}: threw: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(2)
}

/** The user's handler, inside the listener's counting, timing and attribution, which do not change what it does. */
function serveUser (handler: http.RequestListener, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (firstOnConnection(res) && config?.attribution !== false) res.setHeader('x-worker', String(config?.index ?? -1))
  if (draining) res.setHeader('connection', 'close')
  if (config?.instrument === true) {
    const t0 = performance.now()
    requests++
    res.once('finish', () => recordSince(t0))
  }
  if ((config?.workUs ?? 0) > 0) busy(config?.workUs ?? 0)
  callHandler(handler, req, res, handlerFailed)
}

const server = http.createServer((req, res) => {
  if (userHandler !== undefined) {
    serveUser(userHandler, req, res)
    return
  }
  const workUs = config?.workUs ?? 0
  if (config?.instrument !== true) {
    // The plain floor: nothing a plain Node server would not do.
    if (workUs > 0) busy(workUs)
    if (draining) res.writeHead(200, DRAINING_HEADERS)
    res.end(body)
    return
  }
  const t0 = performance.now() // a double, no BigInt allocation on the hot path
  requests++
  if (workUs > 0) busy(workUs)
  writeHead(res)
  res.end(body)
  recordSince(t0)
})
server.keepAliveTimeout = 30_000
server.on('connection', (sock: Conn) => {
  sock[FRESH] = true
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

/** A delay sample in ns as ms beyond the monitor's resolution. */
const beyond = (x: number): number => Math.max(0, Math.round((x / 1e6 - RESOLUTION_MS) * 1000) / 1000)
function snapshot (): ListenerSnapshot {
  const cpu = process.cpuUsage(cpuBase)
  const stats: ListenerStats = {
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
    loopDelayMs: loop.count === 0 ? { p50: 0, p99: 0, max: 0 } : { p50: beyond(loop.percentile(50)), p99: beyond(loop.percentile(99)), max: beyond(loop.max) },
    loopUtilization: Math.round(performance.eventLoopUtilization(eluBase).utilization * 1000) / 1000,
    ...(steering === undefined ? {} : { steering })
  }
  return { index: config?.index ?? -1, pid: process.pid, stats }
}

function reset (): void {
  accepts = 0
  requests = 0
  errors = 0
  resets = 0
  peers = {}
  hist.reset()
  loop.reset()
  eluBase = performance.eventLoopUtilization()
  cpuBase = process.cpuUsage()
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
function drain (busyMs: number): Promise<ListenerSnapshot> {
  if (busyMs > 0) busy(busyMs * 1000)
  draining = true
  detach()
  // Close only the listening socket: http.Server#close would also drop connections just
  // accepted whose request is still on its way. Give those 100 ms, then close idle ones.
  net.Server.prototype.close.call(server)
  const started = Date.now()
  return new Promise(resolve => {
    const check = setInterval(() => {
      if (Date.now() - started >= 100) server.closeIdleConnections()
      if (sockets.size === 0 || Date.now() - started > 1000) {
        clearInterval(check)
        for (const s of sockets) s.destroy()
        resolve(snapshot())
      }
    }, 20)
  })
}

/** The listening socket this configuration asks for (from its source, topology/sockets); resolves with the port once it listens. */
async function listen (c: ListenerConfig): Promise<number> {
  const r = await socketSourceOf(c.socket).listen(server, c.socket, c.steer)
  if (r.steeringFd !== undefined) {
    steeringFd = r.steeringFd
    steering = { attached: true }
  }
  return r.port
}

/** A socket failure as the orchestrator reports it: port in use, option unsupported, or the call that failed. */
function startError (c: ListenerConfig, err: unknown): Error {
  const code = errnoCode(err)
  const src = c.socket
  if (code === 'EADDRINUSE' && src.kind !== 'inherited') return portInUse(src.host, src.port)
  const message = err instanceof Error ? err.message : String(err)
  if (code === 'ENOPROTOOPT') return new UsageError(`${c.mode}: this OS does not support the socket option the mode needs (${message})`, 'RB_UNSUPPORTED')
  return new RunError('RB_LISTENER_START', `${c.mode}: listener ${c.index}: ${message}`, { cause: err })
}

async function start (given: unknown): Promise<ListenerReady> {
  const c = checkListenerConfig(given)
  if (typeof c === 'string') throw new UsageError(`listener: the start request does not carry a valid configuration: ${c}`)
  if (config !== undefined) throw new RunError('RB_LISTENER_START', `listener ${config.index}: started twice`)
  config = c
  FIRST_HEADERS = [...(c.attribution === false ? [] : ['x-worker', String(c.index)]), 'content-length', String(Buffer.byteLength(body))]
  if (c.handler !== undefined) userHandler = await loadHandler(c.handler)
  DRAINING_HEADERS = [...FIRST_HEADERS, 'connection', 'close']
  if (c.instrument) loop.enable()
  if (c.stall !== undefined) {
    const { forMs, everyMs } = c.stall
    setInterval(() => busy(forMs * 1000), everyMs).unref()
  }
  try {
    const port = await listen(c)
    // A listener whose socket fails later has nothing to serve: it says why on stderr and exits (the group reports it).
    server.on('error', (err: Error) => { process.stderr.write(`Error: listener ${c.index}: ${err.message}\n`); process.exit(1) })
    return { index: c.index, pid: process.pid, port }
  } catch (err) {
    throw startError(c, err)
  }
}

/** Every request but 'start' needs a started listener. */
function started (op: string): void {
  if (config === undefined) throw new RunError('RB_LISTENER_START', `listener: '${op}' before 'start'`)
}

serveProtocol<ListenerProtocol>({
  start: async req => await start(req.config),
  stats: async () => { started('stats'); return snapshot() },
  reset: async () => { started('reset'); reset(); return snapshot() },
  stop: async (_req, _emit, afterReply) => {
    started('stop')
    detach()
    server.close()
    afterReply(() => process.exit(0))
    return snapshot()
  },
  drain: async (req, _emit, afterReply) => {
    started('drain')
    const final = await drain(req.busyMs)
    afterReply(() => process.exit(0))
    return final
  }
})
