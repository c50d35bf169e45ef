/**
 * One listener: serves HTTP on the socket its configuration names (from its
 * source, topology/sockets), counts what it serves (counters.ts) and answers
 * the orchestrator's requests (types/listener.ts). Optional scenario
 * behaviour: busy work per request, an injected stall, a steering program on
 * its reuseport group, the user's handler. The same listener runs as a
 * process (workers/listener.ts) or as a thread (workers/listener-thread.ts);
 * its host says how it ends and whose CPU time it reads.
 */
import http from 'node:http'
import net from 'node:net'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { errnoCode, RunError, UsageError } from '../../errors.js'
import type { Handlers } from '../../ipc/protocol.js'
import { detachSteering } from '../../native/index.js'
import type { ListenerConfig, ListenerProtocol, ListenerReady, ListenerSnapshot, ListenerStats } from '../../types/listener.js'
import { portInUse } from '../address.js'
import { callHandler, loadHandler } from '../handler.js'
import { checkListenerConfig } from '../listenerConfig.js'
import { socketSourceOf } from '../sockets/index.js'
import { ListenerCounters } from './counters.js'
import type { CpuClock } from './counters.js'
import { handlerError } from './inThread.js'

/** Where a listener runs, as it needs to know it. */
export interface ListenerHost {
  /** Its own CPU time (its process's, or its thread's). */
  readonly cpu: CpuClock
  /** Says `line` where the orchestrator reads it and ends the listener with `code` (2: bad input, 1: a failure). */
  fatal (line: string, code: number): void
  /** Ends the listener (after its final reply has left). */
  exit (): void
  /** A process, or a thread of the threads mode (a handler that cannot run in one is told so). */
  readonly where: 'process' | 'thread'
  /** The kernel's id of its thread, where it is a thread and known. */
  readonly tid?: number
}

/** Keeps this thread busy for `us` microseconds (CPU work, or a stall when long). */
function busy (us: number): void {
  const end = performance.now() + us / 1000
  while (performance.now() < end) { /* spin */ }
}

// A string, not a Buffer: Node then sends the head and the body in one write.
const BODY = 'ok\n'
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

/** A socket failure as the orchestrator reports it: port in use, option unsupported, or the call that failed. */
function startError (c: ListenerConfig, err: unknown): Error {
  const code = errnoCode(err)
  const src = c.socket
  if (code === 'EADDRINUSE' && src.kind !== 'inherited') return portInUse(src.host, src.port)
  const message = err instanceof Error ? err.message : String(err)
  if (code === 'ENOPROTOOPT') return new UsageError(`${c.mode}: this OS does not support the socket option the mode needs (${message})`, 'RB_UNSUPPORTED')
  return new RunError('RB_LISTENER_START', `${c.mode}: listener ${c.index}: ${message}`, { cause: err })
}

/** A listener on `host`: the handlers of its protocol, one per request. */
export function listenerHandlers (host: ListenerHost): Handlers<ListenerProtocol> {
  const counters = new ListenerCounters(host.cpu)
  let config: ListenerConfig | undefined
  let draining = false
  let steeringFd = -1
  let steering: ListenerStats['steering']
  let userHandler: http.RequestListener | undefined
  // Built once on start. A connection stays with its listener, so only its first response says which
  // (x-worker, with the content-length an explicit writeHead needs); later ones are a plain server's.
  let firstHeaders: string[] = []
  let drainingHeaders: string[] = []

  /** A handler that throws has broken the measurement: one line naming the file, and exit 2 (the group reports it as bad input). */
  const handlerFailed = (err: unknown): void => host.fatal(`Error: ${handlerError(config?.handler ?? '?', err, host.where).message}`, 2)

  /** The user's handler, inside the listener's counting, timing and attribution, which do not change what it does. */
  const serveUser = (handler: http.RequestListener, req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (firstOnConnection(res) && config?.attribution !== false) res.setHeader('x-worker', String(config?.index ?? -1))
    if (draining) res.setHeader('connection', 'close')
    if (config?.instrument === true) {
      const t0 = performance.now()
      counters.requests++
      res.once('finish', () => counters.recordSince(t0))
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
      if (draining) res.writeHead(200, drainingHeaders)
      res.end(BODY)
      return
    }
    const t0 = performance.now() // a double, no BigInt allocation on the hot path
    counters.requests++
    if (workUs > 0) busy(workUs)
    if (draining) res.writeHead(200, drainingHeaders)
    else if (firstOnConnection(res)) res.writeHead(200, firstHeaders)
    res.end(BODY)
    counters.recordSince(t0)
  })
  server.keepAliveTimeout = 30_000
  server.on('connection', (sock: Conn) => {
    sock[FRESH] = true
    counters.accepted(sock)
  })
  server.on('clientError', (err: NodeJS.ErrnoException, sock: Socket) => {
    if (err.code === 'ECONNRESET') counters.resets++
    else counters.errors++
    if (sock.writable) sock.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
    else sock.destroy()
  })

  const snapshot = (): ListenerSnapshot => ({
    index: config?.index ?? -1,
    pid: process.pid,
    ...(host.tid === undefined ? {} : { tid: host.tid }),
    stats: counters.stats(steering, process.memoryUsage.rss())
  })

  const detach = (): void => {
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
   * connection: close, then report. `busyMs` first keeps the thread busy, as a
   * loaded process is when it is told to stop: connections meanwhile wait in
   * its accept queue, which is what closing a reuseport listener loses.
   */
  const drain = (busyMs: number): Promise<ListenerSnapshot> => {
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
        if (counters.sockets.size === 0 || Date.now() - started > 1000) {
          clearInterval(check)
          for (const s of counters.sockets) s.destroy()
          resolve(snapshot())
        }
      }, 20)
    })
  }

  const start = async (given: unknown): Promise<ListenerReady> => {
    const c = checkListenerConfig(given)
    if (typeof c === 'string') throw new UsageError(`listener: the start request does not carry a valid configuration: ${c}`)
    if (config !== undefined) throw new RunError('RB_LISTENER_START', `listener ${config.index}: started twice`)
    config = c
    firstHeaders = [...(c.attribution === false ? [] : ['x-worker', String(c.index)]), 'content-length', String(Buffer.byteLength(BODY))]
    drainingHeaders = [...firstHeaders, 'connection', 'close']
    if (c.handler !== undefined) userHandler = await loadUser(c.handler, host.where)
    if (c.instrument) counters.watchLoop()
    if (c.stall !== undefined) {
      const { forMs, everyMs } = c.stall
      setInterval(() => busy(forMs * 1000), everyMs).unref()
    }
    try {
      const r = await socketSourceOf(c.socket).listen(server, c.socket, c.steer)
      if (r.steeringFd !== undefined) {
        steeringFd = r.steeringFd
        steering = { attached: true }
      }
      // A listener whose socket fails later has nothing to serve: it says why and ends (the group reports it).
      server.on('error', (err: Error) => host.fatal(`Error: listener ${c.index}: ${err.message}`, 1))
      return { index: c.index, pid: process.pid, port: r.port, ...(host.tid === undefined ? {} : { tid: host.tid }) }
    } catch (err) {
      throw startError(c, err)
    }
  }

  /** Every request but 'start' needs a started listener. */
  const started = (op: string): void => {
    if (config === undefined) throw new RunError('RB_LISTENER_START', `listener: '${op}' before 'start'`)
  }

  return {
    start: async req => await start(req.config),
    stats: async () => { started('stats'); return snapshot() },
    reset: async () => { started('reset'); counters.reset(); return snapshot() },
    stop: async (_req, _emit, afterReply) => {
      started('stop')
      detach()
      server.close()
      afterReply(() => host.exit())
      return snapshot()
    },
    drain: async (req, _emit, afterReply) => {
      started('drain')
      const final = await drain(req.busyMs)
      afterReply(() => host.exit())
      return final
    }
  }
}

/** The user's handler, or a UsageError that says what it could not do in a thread. */
async function loadUser (file: string, where: ListenerHost['where']): Promise<http.RequestListener> {
  try {
    return await loadHandler(file)
  } catch (err) {
    throw where === 'thread' ? handlerError(file, err, where) : err
  }
}
