/**
 * The bind/listen matrix: the article's 24 cells per OS, measured with socket
 * A and socket B in two separate agent processes, plus extra rows the article
 * does not have (IPv6, order of operations, another user, TIME_WAIT,
 * SO_REUSEPORT_LB). Every cell is recorded, whatever its outcome.
 */
import { messageOf } from '../errors.js'
import { procTcpRows } from '../topology/holder.js'
import { capabilities, closeSocket, localAddress, openSocket } from '../native/index.js'
import { Agent } from './agent.js'
import { articleTable } from './article.js'
import type { AddressPair, Experiment } from './article.js'
import { expectedFor, matches } from './compare.js'
import type { ProbeCell } from './compare.js'
import type { AgentReply, SocketSpec } from './protocol.js'

export interface MatrixOptions {
  /** A specific address of this host other than 127.0.0.1 (the article's 172.22.147.210). */
  ip: string
  /** An IPv6 address of this host, or '' to skip the IPv6 rows. */
  ip6: string
  /** A fixed port for every cell; 0 picks a free port per cell. */
  port: number
  progress?: (line: string) => void
}

export interface Skip { rows: string, reason: string }

export interface MatrixResult { cells: ProbeCell[], skipped: Skip[] }

const COMBOS: Array<[0 | 1, 0 | 1]> = [[1, 1], [1, 0], [0, 1], [0, 0]]
const PAIRS: AddressPair[] = ['specific-specific', 'any-any', 'specific-any']
const NOBODY = 65534

/** A port that is free on every address right now (bound on the wildcard, then released). */
export function freePort (): number {
  let fd: number
  try {
    fd = openSocket({ host: '::', port: 0, v6only: false })
  } catch {
    fd = openSocket({ host: '0.0.0.0', port: 0 })
  }
  try {
    return localAddress(fd).port
  } finally {
    closeSocket(fd)
  }
}

function spec (host: string, port: number, reuseaddr: 0 | 1, reuseport: 0 | 1, listen: boolean, extra: Partial<SocketSpec> = {}): SocketSpec {
  return { host, port, reuseaddr: reuseaddr === 1, reuseport: reuseport === 1, reuseportLb: false, listen, ...extra }
}

function outcomeOf (r: AgentReply): { outcome: string, failedAt?: string } {
  return r.ok ? { outcome: 'ok' } : { outcome: r.code, failedAt: r.failedAt }
}

/** TIME_WAIT entries on a local port; -1 when /proc/net/tcp cannot be read. */
function timeWaitCount (port: number): number {
  const rows = procTcpRows()
  return rows === null ? -1 : rows.filter(r => r.port === port && r.state === '06').length
}

/**
 * A holds `a` (bound, or bound and listening) while B tries `b`; both in
 * their own processes. Returns B's outcome; A's own failure is reported too.
 */
async function pairCell (A: Agent, B: Agent, a: SocketSpec, b: SocketSpec): Promise<{ outcome: string, failedAt?: string, note?: string }> {
  const ra = await A.request({ op: 'open', spec: a })
  if (!ra.ok) return { outcome: `A:${ra.code}`, failedAt: ra.failedAt, note: `socket A itself failed: ${ra.message}` }
  try {
    const rb = await B.request({ op: 'open', spec: b })
    if (rb.ok && rb.fd !== undefined) await B.request({ op: 'close', fd: rb.fd })
    return outcomeOf(rb)
  } finally {
    if (ra.fd !== undefined) await A.request({ op: 'close', fd: ra.fd })
  }
}

function hostOf (pair: AddressPair, side: 'A' | 'B', ip: string, any: string): string {
  if (pair === 'any-any') return any
  if (pair === 'specific-specific') return ip
  return side === 'A' ? ip : any
}

/**
 * Another user joining a SO_REUSEPORT group (Linux: same effective UID
 * required). Needs root, and a checkout other users can read: the agent for B
 * runs as uid 65534. Where either is missing the rows are skipped with the reason.
 */
async function uidRows (A: Agent, B: Agent, ip: string, port: () => number, cells: ProbeCell[], skipped: Skip[], say: (line: string) => void): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1
  if (uid !== 0) {
    skipped.push({ rows: 'uid', reason: `needs root to start socket B as another user (uid ${NOBODY}); not root here` })
    return
  }
  say('probe: another-user rows')
  const other = new Agent('B(nobody)', { uid: NOBODY, gid: NOBODY })
  try {
    try {
      await other.request({ op: 'hello' })
    } catch (err) {
      skipped.push({ rows: 'uid', reason: `uid ${NOBODY} cannot run the probe agent from this checkout (${messageOf(err)}); every folder above it must be readable by other users (chmod o+rx) for these rows` })
      return
    }
    for (const who of ['same user', 'another user'] as const) {
      const p = port()
      const r = await pairCell(A, who === 'same user' ? B : other, spec(ip, p, 1, 1, true), spec(ip, p, 1, 1, true))
      const expected = who === 'same user' ? 'ok' : (process.platform === 'linux' ? 'EADDRINUSE' : null)
      cells.push({ experiment: 'listen', group: 'uid', addrA: ip, addrB: ip, reuseaddr: 1, reuseport: 1, ...r, expected, expectedSource: expected === null ? undefined : 'socket(7): all sockets of a SO_REUSEPORT group must share the effective UID', matches: matches(r.outcome, expected), extra: true, note: `A as uid 0, B as ${who === 'same user' ? 'uid 0' : `uid ${NOBODY}`}` })
    }
  } finally {
    await other.stop()
  }
}

export async function runMatrix (o: MatrixOptions): Promise<MatrixResult> {
  const say = o.progress ?? (() => {})
  const cells: ProbeCell[] = []
  const skipped: Skip[] = []
  const table = articleTable(process.platform)
  const caps = capabilities()
  const port = (): number => o.port !== 0 ? o.port : freePort()
  const A = new Agent('A')
  const B = new Agent('B')
  try {
    // The article's two experiments.
    say('probe: the article\'s 24 cells (bind, then bind+listen)')
    for (const experiment of ['bind', 'listen'] as Experiment[]) {
      for (const [reuseaddr, reuseport] of COMBOS) {
        for (const pair of PAIRS) {
          const p = port()
          const hostA = hostOf(pair, 'A', o.ip, '0.0.0.0')
          const hostB = hostOf(pair, 'B', o.ip, '0.0.0.0')
          const listen = experiment === 'listen'
          const r = await pairCell(A, B, spec(hostA, p, reuseaddr, reuseport, listen), spec(hostB, p, reuseaddr, reuseport, listen))
          const expected = expectedFor(table, experiment, pair, reuseaddr, reuseport)
          cells.push({ experiment, group: 'article', pair, addrA: hostA, addrB: hostB, reuseaddr, reuseport, ...r, expected, expectedSource: table === undefined ? undefined : 'article', matches: matches(r.outcome, expected), extra: false })
        }
      }
    }
    if (table === undefined) skipped.push({ rows: 'article comparison', reason: `the article has no table for ${process.platform}; outcomes are recorded with expected = null` })

    // IPv6: ::1 twice, :: twice, and :: against 0.0.0.0 with and without IPV6_V6ONLY.
    if (o.ip6 === '') {
      skipped.push({ rows: 'ipv6', reason: 'no IPv6 address to probe (--ip6 empty, or ::1 not available here)' })
    } else {
      say('probe: IPv6 rows')
      const v6pairs: Array<{ a: string, b: string, v6only?: boolean, label: string }> = [
        { a: o.ip6, b: o.ip6, label: 'same v6 address' },
        { a: '::', b: '::', label: 'v6 wildcard twice' },
        { a: '::', b: '0.0.0.0', v6only: false, label: ':: (V6ONLY=0) then 0.0.0.0' },
        { a: '::', b: '0.0.0.0', v6only: true, label: ':: (V6ONLY=1) then 0.0.0.0' }
      ]
      for (const v of v6pairs) {
        for (const [reuseaddr, reuseport] of COMBOS) {
          const p = port()
          const r = await pairCell(A, B, spec(v.a, p, reuseaddr, reuseport, true, v.v6only === undefined ? {} : { v6only: v.v6only }), spec(v.b, p, reuseaddr, reuseport, true))
          cells.push({ experiment: 'listen', group: 'ipv6', addrA: v.v6only === undefined ? v.a : `${v.a} v6only=${v.v6only ? 1 : 0}`, addrB: v.b, reuseaddr, reuseport, ...r, expected: null, matches: null, extra: true, note: v.label })
        }
      }
    }

    // Order of operations: A only bound, B binds and listens, then A tries to listen.
    say('probe: order-of-operations rows')
    for (const [reuseaddr, reuseport] of COMBOS) {
      const p = port()
      const ra = await A.request({ op: 'open', spec: spec(o.ip, p, reuseaddr, reuseport, false) })
      if (!ra.ok || ra.fd === undefined) {
        cells.push({ experiment: 'B listens, A bound', group: 'order', addrA: o.ip, addrB: o.ip, reuseaddr, reuseport, outcome: `A:${ra.ok ? '?' : ra.code}`, expected: null, matches: null, extra: true, note: 'socket A could not bind' })
        continue
      }
      const rb = await B.request({ op: 'open', spec: spec(o.ip, p, reuseaddr, reuseport, true) })
      cells.push({ experiment: 'B listens, A bound', group: 'order', addrA: o.ip, addrB: o.ip, reuseaddr, reuseport, ...outcomeOf(rb), expected: null, matches: null, extra: true, note: 'A is bound but not listening when B binds and listens' })
      const rl = await A.request({ op: 'listen', fd: ra.fd })
      cells.push({ experiment: 'A listens after B', group: 'order', addrA: o.ip, addrB: o.ip, reuseaddr, reuseport, ...outcomeOf(rl), expected: null, matches: null, extra: true, note: rb.ok ? 'A calls listen() while B listens on the same address' : 'A calls listen() (B had failed)' })
      if (rb.ok && rb.fd !== undefined) await B.request({ op: 'close', fd: rb.fd })
      await A.request({ op: 'close', fd: ra.fd })
    }

    await uidRows(A, B, o.ip, port, cells, skipped, say)

    // Rebinding a port that has a connection in TIME_WAIT.
    say('probe: TIME_WAIT rows')
    for (const reuseaddr of [0, 1] as Array<0 | 1>) {
      const p = freePort()
      const tw = await A.request({ op: 'timewait', host: o.ip, port: p })
      const waiting = timeWaitCount(p)
      const rb = await B.request({ op: 'open', spec: spec(o.ip, p, reuseaddr, 0, true) })
      if (rb.ok && rb.fd !== undefined) await B.request({ op: 'close', fd: rb.fd })
      const expected = reuseaddr === 1 ? 'ok' : 'EADDRINUSE'
      const outcome = tw.ok ? outcomeOf(rb) : { outcome: `setup:${tw.code}` }
      cells.push({ experiment: 'rebind after TIME_WAIT', group: 'timewait', addrA: o.ip, addrB: o.ip, reuseaddr, reuseport: 0, ...outcome, expected, expectedSource: 'ip(7): SO_REUSEADDR allows reuse of a port with connections in TIME_WAIT', matches: matches(outcome.outcome, expected), extra: true, note: `${waiting < 0 ? 'TIME_WAIT entries unknown' : `${waiting} connection(s) in TIME_WAIT on the port`} when B binds` })
    }

    // SO_REUSEPORT_LB (FreeBSD 12+), where defined.
    if (!caps.SO_REUSEPORT_LB) {
      skipped.push({ rows: 'reuseport_lb', reason: `SO_REUSEPORT_LB is not defined on ${process.platform} (FreeBSD 12.0+ only)` })
    } else {
      say('probe: SO_REUSEPORT_LB rows')
      for (const pair of PAIRS) {
        const p = port()
        const hostA = hostOf(pair, 'A', o.ip, '0.0.0.0')
        const hostB = hostOf(pair, 'B', o.ip, '0.0.0.0')
        const lb = { reuseportLb: true }
        const r = await pairCell(A, B, spec(hostA, p, 0, 0, true, lb), spec(hostB, p, 0, 0, true, lb))
        cells.push({ experiment: 'listen', group: 'reuseport_lb', pair, addrA: hostA, addrB: hostB, reuseaddr: 0, reuseport: 0, ...r, expected: null, matches: null, extra: true, note: 'SO_REUSEPORT_LB on both sockets instead of SO_REUSEPORT' })
      }
    }
  } finally {
    await Promise.all([A.stop(), B.stop()])
  }
  return { cells, skipped }
}
