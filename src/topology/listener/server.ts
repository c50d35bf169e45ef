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
import type { ListenerConfig, ListenerProtocol, ListenerReady, ListenerSnapshot } from '../../types/listener.js'
import { portInUse } from '../address.js'
import { callHandler, loadHandler } from '../handler.js'
import { checkListenerConfig } from '../listenerConfig.js'
import { socketSourceOf } from '../sockets/index.js'
import { HeldSteering } from './heldSteering.js'
import { busy, ListenerCounters } from './counters.js'
import { handlerError } from './inThread.js'
import type { ListenerHost, Served } from './host.js'
import { StallProbe } from './stallProbe.js'

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
  if (code === 'EADDRINUSE' && 'host' in src) return portInUse(src.host, src.port)
  const message = err instanceof Error ? err.message : String(err)
  if (code === 'ENOPROTOOPT') return new UsageError(`${c.mode}: this OS does not support the socket option the mode needs (${message})`, 'RB_UNSUPPORTED')
  return new RunError('RB_LISTENER_START', `${c.mode}: listener ${c.index}: ${message}`, { cause: err })
}

/** One listener: its server, its counters, and what it was started with. */
class Listener {
  private readonly counters: ListenerCounters
  private readonly server: http.Server
  private config: ListenerConfig | undefined
  private draining = false
  private readonly steering = new HeldSteering()
  private stallProbe: StallProbe | undefined
  /** Made once: what a steered connection's close tells the program (no closure per connection). */
  private readonly steeredClose = (): void => this.steering.program?.connectionClosed()
  private userHandler: http.RequestListener | undefined
  // Built once on start. A connection stays with its listener, so only its first response says which
  // (x-worker, with the content-length an explicit writeHead needs); later ones are a plain server's.
  private firstHeaders: string[] = []
  private drainingHeaders: string[] = []

  constructor (private readonly host: ListenerHost) {
    this.counters = new ListenerCounters(host.cpu)
    this.server = http.createServer((req, res) => this.serve(req, res))
    this.server.keepAliveTimeout = 30_000
    this.server.on('connection', (sock: Conn) => {
      sock[FRESH] = true
      const program = this.steering.program
      this.counters.accepted(sock, program === undefined ? undefined : this.steeredClose)
      program?.accepted()
    })
    this.server.on('clientError', (err: NodeJS.ErrnoException, sock: Socket) => {
      if (err.code === 'ECONNRESET') this.counters.resets++
      else this.counters.errors++
      if (sock.writable) sock.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
      else sock.destroy()
    })
  }

  private serve (req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.userHandler !== undefined) {
      this.serveUser(this.userHandler, req, res)
      return
    }
    const workUs = this.config?.workUs ?? 0
    if (this.config?.instrument !== true) {
      // The plain floor: nothing a plain Node server would not do.
      if (workUs > 0) busy(workUs)
      if (this.draining) res.writeHead(200, this.drainingHeaders)
      res.end(BODY)
      return
    }
    const t0 = performance.now() // a double, no BigInt allocation on the hot path
    this.counters.requests++
    if (workUs > 0) busy(workUs)
    if (this.draining) res.writeHead(200, this.drainingHeaders)
    else if (firstOnConnection(res)) res.writeHead(200, this.firstHeaders)
    res.end(BODY)
    this.counters.recordSince(t0)
  }

  /** The user's handler, inside the listener's counting, timing and attribution, which do not change what it does. */
  private serveUser (handler: http.RequestListener, req: http.IncomingMessage, res: http.ServerResponse): void {
    const c = this.config
    if (firstOnConnection(res) && c?.attribution !== false) res.setHeader('x-worker', String(c?.index ?? -1))
    if (this.draining) res.setHeader('connection', 'close')
    if (c?.instrument === true) {
      const t0 = performance.now()
      this.counters.requests++
      res.once('finish', () => this.counters.recordSince(t0))
    }
    if ((c?.workUs ?? 0) > 0) busy(c?.workUs ?? 0)
    // A handler that throws has broken the measurement: one line naming the file, and exit 2 (the group reports it as bad input).
    callHandler(handler, req, res, err => this.host.fatal(`Error: ${handlerError(c?.handler ?? '?', err, this.host.where).message}`, 2))
  }

  snapshot (): ListenerSnapshot {
    return {
      index: this.config?.index ?? -1,
      pid: process.pid,
      ...(this.host.tid === undefined ? {} : { tid: this.host.tid }),
      stats: {
        ...this.counters.stats(this.steering.now(), process.memoryUsage.rss()),
        ...(this.stallProbe === undefined ? {} : { stallWindows: [...this.stallProbe.windows] })
      }
    }
  }

  reset (): void {
    this.counters.reset()
    this.stallProbe?.reset()
    this.steering.program?.resetCounts()
  }

  /** Lets go of the steering program as a stop (the end of the cell) or a drain (a restart) does: its final state kept, detached where its kind says. */
  releaseSteering (on: 'stop' | 'drain'): void {
    this.steering.release(on)
  }

  close (): void {
    this.server.close()
  }

  /**
   * Deploy-style stop: no new connections, answer what is in flight with
   * connection: close, then report. `busyMs` first keeps the thread busy, as a
   * loaded process is when it is told to stop: connections meanwhile wait in
   * its accept queue, which is what closing a reuseport listener loses.
   */
  drain (busyMs: number): Promise<ListenerSnapshot> {
    if (busyMs > 0) busy(busyMs * 1000)
    this.draining = true
    this.releaseSteering('drain')
    // Close only the listening socket: http.Server#close would also drop connections just
    // accepted whose request is still on its way. Give those 100 ms, then close idle ones.
    net.Server.prototype.close.call(this.server)
    const started = Date.now()
    const sockets = this.counters.sockets
    return new Promise(resolve => {
      const check = setInterval(() => {
        if (Date.now() - started >= 100) this.server.closeIdleConnections()
        if (sockets.size === 0 || Date.now() - started > 1000) {
          clearInterval(check)
          for (const s of sockets) s.destroy()
          resolve(this.snapshot())
        }
      }, 20)
    })
  }

  async start (c: ListenerConfig): Promise<ListenerReady> {
    this.config = c
    this.firstHeaders = [...(c.attribution === false ? [] : ['x-worker', String(c.index)]), 'content-length', String(Buffer.byteLength(BODY))]
    this.drainingHeaders = [...this.firstHeaders, 'connection', 'close']
    if (c.handler !== undefined) this.userHandler = await loadUser(c.handler, this.host.where)
    if (c.instrument) this.counters.watchLoop()
    if (c.stall !== undefined) {
      const { forMs, everyMs } = c.stall
      setInterval(() => {
        if (this.stallProbe === undefined) busy(forMs * 1000)
        else this.stallProbe.around(() => busy(forMs * 1000))
      }, everyMs).unref()
    }
    try {
      const r = await socketSourceOf(c.socket).listen(this.server, c.socket)
      if (r.fd !== undefined && c.stall !== undefined) this.stallProbe = new StallProbe(r.fd)
      const ids = r.fd !== undefined && c.steer !== undefined ? this.steering.open(c.steer, r.fd, c.index) : undefined
      // A listener whose socket fails later has nothing to serve: it says why and ends (the group reports it).
      this.server.on('error', (err: Error) => this.host.fatal(`Error: listener ${c.index}: ${err.message}`, 1))
      return { index: c.index, pid: process.pid, port: r.port, ...(this.host.tid === undefined ? {} : { tid: this.host.tid }), ...(ids === undefined ? {} : { steering: ids }) }
    } catch (err) {
      throw startError(c, err)
    }
  }

}

/** The listener its configuration asks for: UDP's loaded only for a UDP run. */
async function served (host: ListenerHost, c: ListenerConfig): Promise<Served> {
  if (c.protocol !== 'udp') return new Listener(host)
  const { DatagramListener } = await import('./datagrams.js')
  return new DatagramListener(host)
}

/** A listener on `host`: the handlers of its protocol, one per request. */
export function listenerHandlers (host: ListenerHost): Handlers<ListenerProtocol> {
  let listener: Served | undefined
  let index = -1
  /** Every request but 'start' needs a started listener. */
  const started = (op: string): Served => {
    if (listener === undefined) throw new RunError('RB_LISTENER_START', `listener: '${op}' before 'start'`)
    return listener
  }
  return {
    start: async req => {
      const c = checkListenerConfig(req.config)
      if (typeof c === 'string') throw new UsageError(`listener: the start request does not carry a valid configuration: ${c}`)
      if (listener !== undefined) throw new RunError('RB_LISTENER_START', `listener ${index}: started twice`)
      index = c.index
      listener = await served(host, c)
      return await listener.start(c)
    },
    stats: async () => started('stats').snapshot(),
    reset: async () => { const l = started('reset'); l.reset(); return l.snapshot() },
    stop: async (_req, _emit, afterReply) => {
      const l = started('stop')
      l.releaseSteering('stop')
      l.close()
      afterReply(() => host.exit())
      return l.snapshot()
    },
    drain: async (req, _emit, afterReply) => {
      const final = await started('drain').drain(req.busyMs)
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
