/**
 * The UDP load (--protocol udp): `connections` flows, each a client socket of its own (its own source port,
 * so its own 4-tuple), connected to the target. Closed loop without --rate: each flow keeps --pipelining
 * datagrams in flight and sends the next when one is answered. Open loop with --rate: datagram i is due at
 * start + i/R and goes out on the next flow in turn, whatever is in flight (UDP has no back-pressure), its
 * round trip also recorded from its due time. Every datagram is answered by the listener that got it, with its
 * index (src/datagram.ts); one unanswered for TIMEOUT_NS is lost (a timeout). At the end the client waits a
 * little for the answers still on their way; what is still unanswered then is reported as in flight.
 */
import dgram from 'node:dgram'
import { isIP } from 'node:net'
import { readAnswer, REQUEST_HEADER, writeRequest } from '../../datagram.js'
import { RunError } from '../../errors.js'
import type { LoadOptions, LoadResult } from '../../types/load.js'
import type { Recorder } from '../recorder.js'
import type { LoadDriver } from './driver.js'
import { schedule, scheduleText } from './paced.js'

/** A datagram unanswered this long is lost. */
export const TIMEOUT_NS = 1e9
/** How long the client waits at the end for answers still on their way. */
const SETTLE_MS = 250

/** One flow: its socket, its next sequence number, and when each of its unanswered datagrams was sent (and due). */
interface Flow { id: number, socket: dgram.Socket, next: number, answeredBy: Set<number>, out: Map<number, { sentNs: number, dueNs: number }> }

class UdpLoad {
  private readonly flows: Flow[] = []
  private readonly t0 = process.hrtime.bigint()
  /** Bytes of each datagram. */
  private readonly size: number
  private readonly plan: ReturnType<typeof schedule> | undefined
  private due = 0
  private cursor = 0
  private heavyCursor = 0
  /** The heavy flows' share owed so far: a datagram goes to one of them each time it reaches 1. */
  private heavyCredit = 0
  sent = 0
  bytes = 0
  lost = 0
  late = 0
  private stopped = false
  /** When the sending began and ended (ns from t0): the load's length, without opening the flows or the wait for the last answers. */
  private sendingNs: [number, number] = [0, 0]

  constructor (private readonly o: LoadOptions, private readonly rec: Recorder) {
    this.size = Math.max(REQUEST_HEADER, o.datagramBytes ?? 64)
    this.plan = o.rate > 0 ? schedule(o.rate, o.durationSec) : undefined
  }

  private now (): number {
    return Number(process.hrtime.bigint() - this.t0)
  }

  /** Opens every flow's socket, connected to the target (so the kernel keeps its 4-tuple and passes only the target's answers). */
  async open (): Promise<void> {
    const type = isIP(this.o.host) === 6 ? 'udp6' : 'udp4'
    for (let i = 0; i < this.o.connections; i++) {
      const socket = dgram.createSocket(type)
      const flow: Flow = { id: i, socket, next: 0, answeredBy: new Set(), out: new Map() }
      socket.on('message', msg => this.answer(flow, msg))
      socket.on('error', (e: NodeJS.ErrnoException) => { if (!this.stopped) this.rec.error(e) })
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject)
        socket.connect(this.o.port, this.o.host, () => { socket.off('error', reject); resolve() })
      })
      this.flows.push(flow)
    }
    this.rec.opened = this.flows.length
  }

  private send (flow: Flow, dueNs: number): void {
    const seq = flow.next++ >>> 0
    const sentNs = this.now()
    flow.out.set(seq, { sentNs, dueNs })
    this.sent++
    // A buffer of its own each time: a send the kernel cannot take at once stays queued in Node with its buffer.
    flow.socket.send(writeRequest(Buffer.alloc(this.size), flow.id, seq))
  }

  private answer (flow: Flow, msg: Buffer): void {
    this.bytes += msg.length
    const a = readAnswer(msg)
    const at = a === undefined ? undefined : flow.out.get(a.seq)
    if (a === undefined || at === undefined) return
    flow.out.delete(a.seq)
    flow.answeredBy.add(a.index)
    const now = this.now()
    if (this.plan === undefined) this.rec.response((now - at.sentNs) / 1000, a.index)
    else this.rec.scheduled((now - at.sentNs) / 1000, (now - at.dueNs) / 1000, a.index)
    if (!this.stopped && this.plan === undefined) this.send(flow, now)
  }

  /** Counts as lost every datagram unanswered for TIMEOUT_NS; in a closed loop its flow sends the next. */
  private expire (): void {
    const now = this.now()
    for (const flow of this.flows) {
      for (const [seq, at] of flow.out) {
        if (now - at.sentNs < TIMEOUT_NS) continue
        flow.out.delete(seq)
        this.lost++
        if (this.plan === undefined && !this.stopped) this.send(flow, now)
      }
    }
  }

  /** Open loop: sends every datagram now due, each on the next flow in turn. */
  private pump (): void {
    const plan = this.plan
    if (plan === undefined || this.flows.length === 0) return
    const now = this.now()
    const from = this.sendingNs[0]
    while (this.due < plan.count && from + plan.at(this.due) <= now) {
      const dueNs = from + plan.at(this.due++)
      if (now - dueNs > plan.intervalNs) this.late++
      const flow = this.nextFlow()
      if (flow !== undefined) this.send(flow, dueNs)
    }
  }

  /** The flow the next datagram goes on: in turn among all, or with --heavy-flows among the heavy ones for their share and the others for the rest. */
  private nextFlow (): Flow | undefined {
    const heavy = this.o.heavy
    if (heavy === undefined) return this.flows[this.cursor++ % this.flows.length]
    this.heavyCredit += heavy.share
    if (this.heavyCredit >= 1) {
      this.heavyCredit -= 1
      return this.flows[this.heavyCursor++ % heavy.flows]
    }
    return this.flows[heavy.flows + (this.cursor++ % (this.flows.length - heavy.flows))]
  }

  run (): Promise<void> {
    return new Promise((resolve, reject) => {
      const startNs = this.now()
      this.sendingNs = [startNs, startNs]
      const endNs = startNs + this.o.durationSec * 1e9
      let lastTick = startNs
      const onAbort = (): void => { this.close(); reject(new RunError('RB_LOAD_FAILED', 'load stopped before its end')) }
      this.o.signal?.addEventListener('abort', onAbort, { once: true })
      if (this.plan === undefined) for (const flow of this.flows) for (let k = 0; k < (this.o.pipelining ?? 1); k++) this.send(flow, this.now())
      const loop = (): void => {
        if (this.stopped) return
        const now = this.now()
        if (now >= endNs) {
          this.o.signal?.removeEventListener('abort', onAbort)
          this.sendingNs[1] = now
          this.stopped = true
          resolve()
          return
        }
        this.pump()
        if (now - lastTick >= 1e9) {
          lastTick = now
          this.expire()
          this.o.onTick?.((now - startNs) / 1e9, this.rec.responses)
        }
        const next = this.plan === undefined ? now + 5e6 : (this.due < this.plan.count ? startNs + this.plan.at(this.due) : endNs)
        const wait = Math.min(next, endNs) - this.now()
        if (wait > 2e6) setTimeout(loop, Math.floor(wait / 1e6) - 1)
        else setImmediate(loop)
      }
      loop()
    })
  }

  /** Waits up to SETTLE_MS for answers still on their way; the datagrams unanswered then. */
  async settle (): Promise<number> {
    this.stopped = true
    const end = Date.now() + SETTLE_MS
    const unanswered = (): number => this.flows.reduce((a, f) => a + f.out.size, 0)
    while (unanswered() > 0 && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 10))
    return unanswered()
  }

  close (): void {
    this.stopped = true
    for (const f of this.flows) try { f.socket.close() } catch {}
  }

  result (inFlight: number): LoadResult {
    const errors = Object.values(this.rec.errorCodes).reduce((a, b) => a + b, 0)
    const r = this.rec.result({ completed: this.rec.responses, sent: this.sent, errors, timeouts: this.lost, non2xx: 0, bytes: this.bytes })
    // Every answer counted was to a datagram sent while sending: the rate is theirs over that time.
    const durationSec = Math.max(1e-3, (this.sendingNs[1] - this.sendingNs[0]) / 1e9)
    const timing = { durationSec: Math.round(durationSec * 1000) / 1000, rps: Math.round(r.responses / durationSec) }
    const udp = { unanswered: inFlight, flowListeners: this.flows.reduce((n, f) => n + f.answeredBy.size, 0), splitFlows: this.flows.filter(f => f.answeredBy.size > 1).length }
    return { ...r, ...timing, udp, ...(this.plan === undefined ? {} : { paced: { intervalUs: Math.round(this.plan.intervalNs / 100) / 10, intended: this.plan.count, late: this.late, unsent: this.plan.count - this.due } }) }
  }
}

/** One UDP load. */
export async function runUdp (o: LoadOptions): Promise<LoadResult> {
  const { Recorder } = await import('../recorder.js')
  const rec = new Recorder(o)
  const load = new UdpLoad(o, rec)
  try {
    await load.open()
    await load.run()
    const inFlight = await load.settle()
    return load.result(inFlight)
  } finally {
    load.close()
    rec.dispose()
  }
}

export const dgramDriver: LoadDriver = {
  name: 'dgram',
  protocol: 'udp',
  rate: 'optional',
  pipelining: true,
  rateText: scheduleText('dgram', 'datagrams'),
  correctionNote: 'The dgram driver (UDP) with --rate: round trips also from each datagram\'s due time on an evenly spaced schedule (exact).',
  description: 'UDP datagrams on --connections flows (each its own socket and 4-tuple), each answered by the listener that got it; closed loop, or open loop at --rate',
  run: async (o: LoadOptions) => await runUdp(o)
}
