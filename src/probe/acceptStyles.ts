/**
 * Cloudflare's 2017 accept experiment, with the same syscalls: `workers` agent processes share one listening
 * socket, each waiting for a connection in a blocking accept() or in epoll_wait() on an EPOLLEXCLUSIVE epoll
 * set of its own (workers/accept-agent.ts, src/native/accept.cc), and `total` connections arrive one at a
 * time. Every agent runs before any waits, and they start waiting in index order; whoever takes a connection waits again before the next one
 * comes (a short gap). Which agent took each connection is the published figure (3 workers, 6 connections:
 * blocking 2,1,0,2,1,0, EPOLLEXCLUSIVE 0,0,0,0,0,0). No mode of the harness waits either way: Node's libuv
 * polls its sockets with epoll without EPOLLEXCLUSIVE (the accept-order rows of the modes show what that does).
 */
import { fork } from 'node:child_process'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { fairness } from '../analyse/fairness.js'
import { RunError } from '../errors.js'
import { ProtocolChannel } from '../ipc/protocol.js'
import { missingFeature } from '../kernel/features.js'
import { closeSocket, localAddress, openSocket, setBlocking } from '../native/index.js'
import { track } from '../proc/children.js'
import type { AcceptProtocol, AcceptStyle } from '../types/agent.js'
import { ACCEPT_REPLIES } from './replies.js'
import type { AcceptStyleOrder, Skip } from '../types/probe.js'
import { childExecArgv } from '../proc/node.js'

const AGENT = fileURLToPath(new URL('../../workers/accept-agent.js', import.meta.url))
/** Between connections (and between agents starting to wait), so the last taker is waiting again first. */
const GAP_MS = 15
/** The longest an agent's wait may take: the whole experiment. */
const WAIT_MS = 60_000

type AgentChannel = ProtocolChannel<AcceptProtocol>

/** Connects once and resolves when the kernel has completed the handshake (before any agent accepts). */
function connectOnce (host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host)
    s.once('connect', () => resolve(s))
    s.once('error', reject)
  })
}

/** Asks agent `i` to wait for one connection; resolves with `i` once it has taken one. */
function waitIn (agents: readonly AgentChannel[], i: number, style: AcceptStyle, waitMs: number): Promise<number> {
  const a = agents[i]
  if (a === undefined) return Promise.reject(new RunError('RB_AGENT', `no accept agent ${i}`))
  return a.request({ op: 'accept', style }, { timeoutMs: waitMs, onTimeout: () => new RunError('RB_AGENT', `accept agent ${i} took no connection within ${waitMs} ms`) }).then(r => {
    if (!r.ok) throw new RunError('RB_AGENT', `accept agent ${i} (${style}): ${r.message}`)
    return i
  })
}

/** One style's run: which agent took each of `total` sequential connections. */
export async function acceptStyleOrder (style: AcceptStyle, workers: number, total: number, host = '127.0.0.1', deadlineScale = 1): Promise<AcceptStyleOrder> {
  const fd = openSocket({ host, port: 0, reuseaddr: false, reuseport: false, backlog: 64 })
  const agents: AgentChannel[] = []
  // Each agent's wait: the ones still waiting at the end are refused when their agent stops.
  const waiting = new Map<number, Promise<number>>()
  try {
    setBlocking(fd, style === 'blocking')
    const { port } = localAddress(fd)
    for (let i = 0; i < workers; i++) {
      agents.push(new ProtocolChannel<AcceptProtocol>(track(fork(AGENT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc', fd], serialization: 'json', execArgv: childExecArgv() })), `accept agent ${i}`).checkReplies(ACCEPT_REPLIES))
    }
    // Every agent running before any waits, so they start waiting in index order.
    const startMs = 10_000 * deadlineScale
    await Promise.all(agents.map(a => a.request({ op: 'hello' }, { timeoutMs: startMs, onTimeout: () => new RunError('RB_AGENT', `an accept agent did not start within ${startMs / 1000} s`) })))
    for (let i = 0; i < workers; i++) { waiting.set(i, waitIn(agents, i, style, WAIT_MS * deadlineScale)); await sleep(GAP_MS) }
    const sequence: number[] = []
    for (let k = 0; k < total; k++) {
      const client = await connectOnce(host, port)
      const taker = await Promise.race(waiting.values())
      client.destroy()
      sequence.push(taker)
      waiting.set(taker, waitIn(agents, taker, style, WAIT_MS * deadlineScale))
      await sleep(GAP_MS)
    }
    const counts = new Array<number>(workers).fill(0)
    for (const i of sequence) counts[i] = (counts[i] ?? 0) + 1
    return { style, workers, sequence, counts, total, fairness: fairness(counts) }
  } finally {
    for (const w of waiting.values()) w.catch(() => {})
    await Promise.all(agents.map(a => a.close().catch(() => {})))
    closeSocket(fd)
  }
}

/** Whether this host can wait in `style` (EPOLLEXCLUSIVE, tried as a kernel feature); the one line when not. */
export function styleUnavailable (style: AcceptStyle): string | undefined {
  return style === 'blocking' ? undefined : missingFeature('epoll-exclusive')
}

/** Every style this host has, in turn; the others are skipped with the reason. */
export async function acceptStyles (styles: readonly AcceptStyle[], workers: number, total: number, progress?: (s: string) => void, deadlineScale = 1): Promise<{ orders: AcceptStyleOrder[], skipped: Skip[] }> {
  const orders: AcceptStyleOrder[] = []
  const skipped: Skip[] = []
  for (const style of styles) {
    const why = styleUnavailable(style)
    if (why !== undefined) { skipped.push({ rows: `accept style ${style}`, reason: why }); continue }
    progress?.(`probe: accept style ${style} (${workers} processes, ${total} connections, one at a time)`)
    orders.push(await acceptStyleOrder(style, workers, total, '127.0.0.1', deadlineScale))
  }
  return { orders, skipped }
}
