/**
 * A process that runs a group's listeners as its members and answers for all
 * of them at once (PrimaryProtocol in types/listener.ts): the cluster primary
 * (members are cluster worker processes) and the threads host (members are
 * worker threads). It starts each member with its configuration, asks them
 * all, replaces one on 'restart' (start the new one, wait until it listens,
 * drain the old one), and ends itself, with one line naming the member, when
 * a member ends unexpectedly.
 */
import { PhaseTimeoutError, RunError } from '../errors.js'
import { serveProtocol } from '../ipc/protocol.js'
import type { ProtocolChannel } from '../ipc/protocol.js'
import type { RequestOfOp } from '../types/protocol.js'
import type { ListenerConfig, ListenerProtocol, ListenerReady, ListenerSnapshot, PrimaryEvent, PrimaryProtocol, SocketSource } from '../types/listener.js'
import { START_BACKSTOP_MS } from './kinds/kind.js'

export type StartRequest = RequestOfOp<PrimaryProtocol, 'start'>

/** One member as its primary holds it. */
export interface Member {
  readonly channel: ProtocolChannel<ListenerProtocol>
  /** Ends it at once. */
  kill (): void
  /** Whether it has ended. */
  dead (): boolean
}

/** How a primary makes its members. */
export interface Members {
  /** 'cluster worker', 'listener thread': how errors name a member. */
  readonly noun: string
  /**
   * Called once, with the start request, before the first member is made (the cluster primary sets its
   * scheduling policy); a socket source it resolves with is what the members get instead of the request's
   * (a threads host that accepts itself hands its threads the connections).
   */
  setUp? (req: StartRequest): void | Promise<SocketSource | undefined>
  /** Member `i` listens (it started, or its replacement did): from now on it is the one serving `i`. */
  listening? (i: number): void
  /** Makes member `i` (not started yet); `onExit` is told how it ended, with what it said last ('' when nothing). */
  make (i: number, onExit: (code: number | null, signal: string | null, lastWords: string) => void): Member
}

/**
 * Whether every member binds a socket of its own (its own through the addon, or reusePort), so that
 * the rest must join the port the first picked; cluster workers without reusePort ask the primary
 * for its one socket by the address they were given, which must then stay the same.
 */
export function ownSocketEach (socket: SocketSource): socket is Exclude<SocketSource, { kind: 'inherited' }> {
  return socket.kind === 'own' || socket.kind === 'bound' || (socket.kind === 'listen' && socket.reusePort === true)
}

/** A primary's members, by index, and the start request they share. */
class Primary {
  private readonly live = new Map<number, Member>()
  private readonly all: Member[] = []
  private readonly retiring = new Set<Member>()
  private base: StartRequest | undefined
  private stopping = false

  constructor (private readonly members: Members, private readonly name: string) {
    // However this process ends, its members end with it.
    process.on('exit', () => { for (const m of this.all) if (!m.dead()) m.kill() })
  }

  /** A member that ends on its own ends this process: one line naming it; exit 2 when it said the input was bad. */
  private died (i: number, code: number | null, signal: string | null, lastWords: string): void {
    const words = lastWords.replace(/^Error: /, '')
    process.stderr.write(`Error: ${this.members.noun} ${i} ${words === '' ? `exited unexpectedly (code ${String(code)}, signal ${String(signal)})` : `ended: ${words}`}\n`)
    process.exit(code === 2 && words !== '' ? 2 : 1)
  }

  private configOf (i: number): ListenerConfig {
    const b = this.base as StartRequest
    const stall = b.stall !== undefined && b.stall.index === i ? { forMs: b.stall.forMs, everyMs: b.stall.everyMs } : undefined
    return { ...b.listener, index: i, ...(stall === undefined ? {} : { stall }) }
  }

  /** Makes member `i` and starts it; resolves once it listens. */
  private async start (i: number): Promise<{ member: Member, ready: ListenerReady }> {
    const member: Member = this.members.make(i, (code, signal, lastWords) => {
      // One its channel killed (it missed a deadline) is reported by the request that failed, not as a death.
      if (!this.stopping && !this.retiring.has(member) && !member.channel.killed) this.died(i, code, signal, lastWords)
    })
    this.all.push(member)
    const onTimeout = (): Error => new RunError('RB_LISTENER_START', `${this.members.noun} ${i} did not listen within ${START_BACKSTOP_MS / 1000} s`)
    const ready = await member.channel.ask('start', { config: this.configOf(i) }, { timeoutMs: START_BACKSTOP_MS, onTimeout })
    this.members.listening?.(i)
    return { member, ready }
  }

  /** The first member alone (it picks the port when the socket asks for port 0), then the rest on its port. */
  async startAll (asked: StartRequest): Promise<ListenerReady[]> {
    const instead = await this.members.setUp?.(asked)
    const req = instead === undefined ? asked : { ...asked, listener: { ...asked.listener, socket: instead } }
    this.base = req
    const first = await this.start(0)
    this.live.set(0, first.member)
    const socket = req.listener.socket
    if (ownSocketEach(socket)) this.base = { ...req, listener: { ...req.listener, socket: { ...socket, port: first.ready.port } } }
    const rest = await Promise.all([...Array(req.workers).keys()].slice(1).map(async i => await this.start(i)))
    for (const r of rest) this.live.set(r.ready.index, r.member)
    return [first.ready, ...rest.map(r => r.ready)]
  }

  /** Asks every member; answers with the snapshots of those that answered within `withinMs`. */
  async askAll (op: 'stats' | 'reset' | 'stop', withinMs: number): Promise<ListenerSnapshot[]> {
    if (op === 'stop') this.stopping = true
    const asked = [...this.live.values()].map(m => m.channel.ask(op, {}, { timeoutMs: withinMs, onTimeout: () => new PhaseTimeoutError(op, this.name, withinMs, `a ${this.members.noun} did not answer`) }))
    const settled = await Promise.allSettled(asked)
    return settled.flatMap(s => s.status === 'fulfilled' ? [s.value] : [])
  }

  async restart (index: number, busyMs: number, emit: (e: PrimaryEvent) => void): Promise<ListenerSnapshot> {
    const old = this.live.get(index)
    if (old === undefined) throw new RunError('RB_LISTENER_DIED', `${this.name}: no ${this.members.noun} ${index} to restart`)
    const fresh = await this.start(index)
    this.live.set(index, fresh.member)
    emit({ ready: fresh.ready })
    this.retiring.add(old)
    return await old.channel.ask('drain', { busyMs }, { timeoutMs: 10_000 + busyMs, onTimeout: () => new RunError('RB_LISTENER_DIED', `${this.members.noun} ${index} did not drain`) })
  }
}

/** Serves PrimaryProtocol with these members, in this process; `name` names the primary in errors ('cluster'). */
export function servePrimary (members: Members, name: string): void {
  const p = new Primary(members, name)
  serveProtocol<PrimaryProtocol>({
    start: async req => await p.startAll(req),
    restart: async (req, emit) => await p.restart(req.index, req.busyMs, emit),
    stats: async req => await p.askAll('stats', req.withinMs),
    reset: async req => await p.askAll('reset', req.withinMs),
    stop: async (req, _emit, afterReply) => {
      afterReply(() => process.exit(0))
      return await p.askAll('stop', req.withinMs)
    }
  })
}
