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
import { RunError, UsageError } from '../../errors.js'
import { ownUdpSocket } from '../../kernel/udpTable.js'
import type { DatagramStats, ListenerConfig, ListenerReady, ListenerSnapshot } from '../../types/listener.js'
import { socketSourceOf } from '../sockets/index.js'
import { ListenerCounters } from './counters.js'
import type { ListenerHost, Served } from './host.js'

/** Flows a listener tells apart at most; beyond, new flows are still counted as datagrams. */
const MOST_FLOWS = 1 << 16

/** Keeps this thread busy for `us` microseconds. */
function busy (us: number): void {
  const end = performance.now() + us / 1000
  while (performance.now() < end) { /* spin */ }
}

export class DatagramListener implements Served {
  private readonly counters: ListenerCounters
  private socket: dgram.Socket | undefined
  private port = 0
  private readonly flows = new Set<string>()
  private datagrams = 0
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
    this.dropsBase = ownUdpSocket(this.port)?.drops ?? 0
    bound.socket.on('message', (msg, rinfo) => this.receive(msg, rinfo))
    bound.socket.on('error', (err: Error) => { if (!this.closed) this.host.fatal(`Error: listener ${c.index}: ${err.message}`, 1) })
    return { index: c.index, pid: process.pid, port: bound.port, ...(this.host.tid === undefined ? {} : { tid: this.host.tid }) }
  }

  private receive (msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const t0 = performance.now()
    const answer = answerTo(msg, this.config.index)
    if (answer === undefined) { this.counters.errors++; return }
    this.datagrams++
    this.counters.requests++
    if (this.flows.size < MOST_FLOWS) {
      const key = `${rinfo.address} ${rinfo.port}`
      if (!this.flows.has(key)) {
        this.flows.add(key)
        this.counters.flowSeen(rinfo.address)
      }
    }
    if (this.config.workUs > 0) busy(this.config.workUs)
    this.socket?.send(answer, rinfo.port, rinfo.address)
    if (this.config.instrument) this.counters.recordSince(t0)
  }

  /** The socket's figures from the kernel's table now: drops since the last reset and bytes unread; null where it cannot say. */
  private datagramStats (): DatagramStats {
    if (this.last !== undefined) return this.last
    const row = ownUdpSocket(this.port)
    return { datagrams: this.datagrams, flows: this.flows.size, drops: row === undefined ? null : row.drops - this.dropsBase, queued: row?.queuedBytes ?? null, socket: row?.inode ?? null }
  }

  snapshot (): ListenerSnapshot {
    return {
      index: this.config.index,
      pid: process.pid,
      ...(this.host.tid === undefined ? {} : { tid: this.host.tid }),
      stats: { ...this.counters.stats(undefined, process.memoryUsage.rss()), udp: this.datagramStats() }
    }
  }

  reset (): void {
    this.counters.reset()
    this.flows.clear()
    this.datagrams = 0
    this.dropsBase = ownUdpSocket(this.port)?.drops ?? this.dropsBase
  }

  releaseSteering (): void {}

  close (): void {
    if (this.closed) return
    this.last = this.datagramStats()
    this.closed = true
    try { this.socket?.close() } catch {}
  }

  /** A deploy-style stop: UDP has no connections to finish, so it reports and closes after `busyMs` of work. */
  async drain (busyMs: number): Promise<ListenerSnapshot> {
    if (busyMs > 0) busy(busyMs * 1000)
    const final = this.snapshot()
    this.close()
    return final
  }

  started (op: string): void {
    if (this.socket === undefined) throw new RunError('RB_LISTENER_START', `listener: '${op}' before 'start'`)
  }
}
