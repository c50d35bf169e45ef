/**
 * One UDP listener (--protocol udp): receives datagrams on the socket its source binds, answers each with
 * its index (src/datagram.ts), and counts them as the HTTP listener counts requests: `requests` the
 * datagrams, `accepts` the flows (client 4-tuples) new to it, server time per datagram; besides, the
 * distinct flows it saw and its socket's drops and unread bytes from the kernel's table (kernel/udpTable.ts).
 * It answers the orchestrator's requests as the HTTP listener does (server.ts).
 */
import type dgram from 'node:dgram'
import { performance } from 'node:perf_hooks'
import { answerTo } from '../../datagram.js'
import { UsageError } from '../../errors.js'
import { ownUdpSockets } from '../../kernel/udpTable.js'
import type { UdpRow } from '../../kernel/udpTable.js'
import type { DatagramStats, ListenerConfig, ListenerReady, ListenerSnapshot } from '../../types/listener.js'
import { socketSourceOf } from '../sockets/index.js'
import { busy, ListenerCounters } from './counters.js'
import { HeldSteering } from './heldSteering.js'
import type { ListenerHost, Served } from './host.js'

/** Flows a listener tells apart at most; beyond, new flows are still counted as datagrams. */
const MOST_FLOWS = 1 << 16

/** The kernel's figures over a listener's sockets on its port: drops and unread bytes added up, the sockets' inodes; undefined when none was found. */
function kernelFigures (rows: UdpRow[] | undefined): { drops: number, queued: number, socket: string } | undefined {
  if (rows === undefined || rows.length === 0) return undefined
  return { drops: rows.reduce((a, r) => a + r.drops, 0), queued: rows.reduce((a, r) => a + r.queuedBytes, 0), socket: rows.map(r => r.inode).sort().join(',') }
}

export class DatagramListener implements Served {
  private readonly counters: ListenerCounters
  /** A classic BPF program on the group's socket, held by listener 0 (--steer cpu or first). */
  private readonly steering = new HeldSteering()
  private socket: dgram.Socket | undefined
  private port = 0
  private readonly flows = new Set<string>()
  /** With --udp-connect: each flow's socket of its own (connected to the client), by flow. */
  private readonly connected = new Map<string, dgram.Socket>()
  private datagrams = 0
  /** Datagrams that came in on a flow's own socket (--udp-connect). */
  private onConnected = 0
  private dropsBase = 0
  private closed = false
  /** The figures as the socket closed (the kernel's table no longer has it). */
  private last: DatagramStats | undefined
  /** Set by start, before anything reads it. */
  private config!: ListenerConfig

  constructor (private readonly host: ListenerHost) {
    this.counters = new ListenerCounters(host.cpu)
  }

  async start (c: ListenerConfig): Promise<ListenerReady> {
    this.config = c
    const source = socketSourceOf(c.socket)
    if (source.bindDatagram === undefined) throw new UsageError(`${c.mode}: its listeners cannot serve UDP`, 'RB_UNSUPPORTED')
    if (c.instrument) this.counters.watchLoop()
    const bound = await source.bindDatagram(c.socket)
    this.socket = bound.socket
    this.port = bound.port
    if (bound.fd !== undefined && c.steer !== undefined) this.steering.open(c.steer, bound.fd, c.index)
    this.dropsBase = kernelFigures(ownUdpSockets(this.port))?.drops ?? 0
    if (c.udpConnect === true && source.connectDatagram === undefined) throw new UsageError(`${c.mode}: its listeners cannot connect a socket to each flow (--udp-connect)`, 'RB_UNSUPPORTED')
    bound.socket.on('message', (msg, rinfo) => this.receive(msg, rinfo, bound.socket, true))
    bound.socket.on('error', (err: Error) => { if (!this.closed) this.host.fatal(`Error: listener ${c.index}: ${err.message}`, 1) })
    return { index: c.index, pid: process.pid, port: bound.port, ...(this.host.tid === undefined ? {} : { tid: this.host.tid }) }
  }

  /** One datagram, which came in on `via` (the group's socket, `fromGroup`, or a flow's own): counted and answered there. */
  private receive (msg: Buffer, rinfo: dgram.RemoteInfo, via: dgram.Socket, fromGroup: boolean): void {
    const t0 = performance.now()
    const answer = answerTo(msg, this.config.index)
    if (answer === undefined) { this.counters.errors++; return }
    this.datagrams++
    if (!fromGroup) this.onConnected++
    this.counters.requests++
    const key = `${rinfo.address} ${rinfo.port}`
    const fresh = this.flows.size < MOST_FLOWS && !this.flows.has(key)
    if (fresh) {
      this.flows.add(key)
      this.counters.flowSeen(rinfo.address)
    }
    if (this.config.workUs > 0) busy(this.config.workUs)
    if (fresh && fromGroup && this.config.udpConnect === true) {
      // The flow's next datagrams go to its own socket: answer once that socket is connected, so the client's next finds it.
      void this.connectFlow(key, rinfo).then(() => this.answer(via, answer, rinfo, fromGroup, t0))
      return
    }
    this.answer(via, answer, rinfo, fromGroup, t0)
  }

  private answer (via: dgram.Socket, answer: Buffer, rinfo: dgram.RemoteInfo, fromGroup: boolean, t0: number): void {
    if (this.closed) return
    if (fromGroup) via.send(answer, rinfo.port, rinfo.address)
    else via.send(answer)
    if (this.config.instrument) this.counters.recordSince(t0)
  }

  /**
   * A socket of the flow's own on the group's port, connected to the client; a flow it cannot connect stays on
   * the group's socket. Another flow's datagram that the kernel queued on it before it was connected is served
   * as the group's socket would serve it (answered from there: a connected socket sends only to its peer).
   */
  private async connectFlow (key: string, peer: dgram.RemoteInfo): Promise<void> {
    const source = socketSourceOf(this.config.socket)
    const group = this.socket
    const onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo, s: dgram.Socket): void => {
      if (rinfo.port === peer.port && rinfo.address === peer.address) this.receive(msg, rinfo, s, false)
      else if (group !== undefined) this.receive(msg, rinfo, group, true)
    }
    try {
      const s = await source.connectDatagram?.(this.config.socket, this.port, peer, onMessage)
      if (s === undefined) return
      if (this.closed) { s.close(); return }
      s.on('error', () => { this.counters.errors++ })
      this.connected.set(key, s)
    } catch {
      this.counters.errors++
    }
  }

  /** Its sockets' figures from the kernel's table now: drops since the last reset and bytes unread; null where it cannot say. */
  private datagramStats (): DatagramStats {
    if (this.last !== undefined) return this.last
    const rows = ownUdpSockets(this.port)
    const k = kernelFigures(rows)
    return { datagrams: this.datagrams, flows: this.flows.size, drops: k === undefined ? null : k.drops - this.dropsBase, queued: k?.queued ?? null, socket: k?.socket ?? null, ...(this.config.udpConnect === true ? { connected: this.connected.size, onConnected: this.onConnected } : {}) }
  }

  snapshot (): ListenerSnapshot {
    return {
      index: this.config.index,
      pid: process.pid,
      ...(this.host.tid === undefined ? {} : { tid: this.host.tid }),
      stats: { ...this.counters.stats(this.steering.now(), process.memoryUsage.rss()), udp: this.datagramStats() }
    }
  }

  /** Zeroes the counts; the flows' own sockets are closed (the next load's flows are new 4-tuples and connect afresh). */
  reset (): void {
    for (const s of this.connected.values()) try { s.close() } catch {}
    this.connected.clear()
    this.counters.reset()
    this.flows.clear()
    this.datagrams = 0
    this.onConnected = 0
    this.dropsBase = kernelFigures(ownUdpSockets(this.port))?.drops ?? this.dropsBase
  }

  releaseSteering (on: 'stop' | 'drain'): void {
    this.steering.release(on)
  }

  close (): void {
    if (this.closed) return
    this.last = this.datagramStats()
    this.closed = true
    try { this.socket?.close() } catch {}
    for (const s of this.connected.values()) try { s.close() } catch {}
  }

  /** A deploy-style stop: UDP has no connections to finish, so it reports and closes after `busyMs` of work. */
  async drain (busyMs: number): Promise<ListenerSnapshot> {
    if (busyMs > 0) busy(busyMs * 1000)
    this.releaseSteering('drain')
    const final = this.snapshot()
    this.close()
    return final
  }

}
