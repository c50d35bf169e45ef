/**
 * One try of the migration-wakeup question, run inside a network namespace with
 * net.ipv4.tcp_migrate_req=1 (workers/migration-wakeup.ts): `connections` wait, handshakes complete, in
 * listener A's accept queue; B joins A's SO_REUSEPORT group and waits for connections, in epoll (a Node
 * server: libuv's epoll, as every listener of the harness) or in a blocking accept() on libuv's thread pool;
 * then A closes and the kernel moves its queue to B. Counted: what B accepted within `waitMs` of the close,
 * and what only after one more connection to the port arrived (the nudge). Upstream 3864c6b ("tcp: fix
 * listener wakeup after reuseport migration", 2026) made the move wake B's waiters; before it, B slept on.
 */
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseNetstat } from '../collect/samplers/netstat.js'
import { acceptOnce, closeSocket, connectLoopback, localAddress, openSocket, setBlocking } from '../native/index.js'
import type { MigrationWaiter, MigrationWakeupTry } from '../types/probe.js'

const HOST = '127.0.0.1'
/** B has started waiting (its event loop idle in epoll_wait, or its thread in accept) before A closes. */
const SETTLE_MS = 100

/** Resolves once `done()` holds or `ms` have passed, whichever is first. */
async function waitUntil (done: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms
  while (!done() && performance.now() < end) await sleep(5)
}

const migratedSoFar = (): number => parseNetstat(readFileSync('/proc/net/netstat', 'utf8'))['TCPMigrateReqSuccess'] ?? 0

/** B's side: start waiting on `fd`; `times` gets the moment of each accept; `release` ends the wait. */
interface Waiting { times: number[], release: () => Promise<void> }

async function waitInEpoll (fd: number): Promise<Waiting> {
  const times: number[] = []
  const server = net.createServer(s => { times.push(performance.now()); s.destroy() })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ fd }, resolve)
  })
  return { times, release: async () => { await new Promise<void>(resolve => server.close(() => resolve())) } }
}

function waitInAccept (fd: number, port: number, most: number): Waiting {
  const times: number[] = []
  setBlocking(fd, true)
  let stopping = false
  let done = false
  const loop = (async () => {
    try {
      while (!stopping && times.length < most) {
        await acceptOnce(fd)
        times.push(performance.now())
      }
    } catch {
      // the socket closed under it: the try is over
    } finally {
      done = true
    }
  })()
  return {
    times,
    release: async () => {
      stopping = true
      // a thread blocked in accept() is freed by a connection, not by close()
      for (let i = 0; i < 3 && !done; i++) {
        const c = connectLoopback(port)
        await Promise.race([loop, sleep(200)])
        closeSocket(c)
      }
      closeSocket(fd)
    }
  }
}

/** Listener A with `connections` completed handshakes waiting in its queue, and B joined to A's group, not yet accepting. */
export interface QueuedGroup { a: number, b: number, port: number, clients: number[] }

/** Makes a QueuedGroup on loopback; what it opened is closed again if a step fails. */
export function queueAtA (connections: number): QueuedGroup {
  const a = openSocket({ host: HOST, port: 0, reuseport: true, backlog: connections + 8 })
  const clients: number[] = []
  try {
    const port = localAddress(a).port
    for (let i = 0; i < connections; i++) clients.push(connectLoopback(port))
    return { a, b: openSocket({ host: HOST, port, reuseport: true, backlog: connections + 8 }), port, clients }
  } catch (err) {
    for (const fd of [a, ...clients]) closeSocket(fd)
    throw err
  }
}

/** One try; every socket it opens is closed before it resolves. */
export async function migrationTry (waiter: MigrationWaiter, connections: number, waitMs: number): Promise<MigrationWakeupTry> {
  const { a, b, port, clients } = queueAtA(connections)
  let aOpen = true
  try {
    const w = waiter === 'epoll' ? await waitInEpoll(b) : waitInAccept(b, port, connections + 1)
    try {
      await sleep(SETTLE_MS)
      const before = migratedSoFar()
      const closedAt = performance.now()
      closeSocket(a)
      aOpen = false
      await waitUntil(() => w.times.length >= connections, waitMs)
      const promptTimes = w.times.filter(t => t - closedAt <= waitMs)
      const migrated = migratedSoFar() - before
      clients.push(connectLoopback(port))
      await waitUntil(() => w.times.length > connections, waitMs)
      const all = w.times.length
      const afterNext = Math.max(0, all - promptTimes.length - 1)
      const last = promptTimes.at(-1)
      return { waiter, connections, migrated, promptly: promptTimes.length, afterNext, lost: Math.max(0, connections - promptTimes.length - afterNext), lastPromptMs: last === undefined ? null : Math.round((last - closedAt) * 10) / 10 }
    } finally {
      await w.release()
    }
  } finally {
    if (aOpen) closeSocket(a)
    for (const c of clients) closeSocket(c)
  }
}
