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
import type { Experiment } from './article.js'
import { expectedFor, matches } from './compare.js'
import type { AgentReply, SocketSpec } from '../types/agent.js'
import type { AddressPair, ProbeCell, Skip } from '../types/probe.js'

export interface MatrixOptions {
  /** A specific address of this host other than 127.0.0.1 (the article's 172.22.147.210). */
  ip: string
  /** An IPv6 address of this host, or '' to skip the IPv6 rows. */
  ip6: string
  /** A fixed port for every cell; 0 picks a free port per cell. */
  port: number
  progress?: (line: string) => void
}

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

/** What every group of rows works with: the options, the two agents, where cells and skips go. */
interface Rows {
  o: MatrixOptions
  A: Agent
  B: Agent
  /** The port for the next cell: the fixed one, or a free one. */
  port: () => number
  cells: ProbeCell[]
  skipped: Skip[]
  say: (line: string) => void
}

/** The article's two experiments: 2 x 4 option combinations x 3 address pairs. */
async function articleRows (x: Rows): Promise<void> {
  const table = articleTable(process.platform)
  x.say('probe: the article\'s 24 cells (bind, then bind+listen)')
  for (const experiment of ['bind', 'listen'] as Experiment[]) {
    for (const [reuseaddr, reuseport] of COMBOS) {
      for (const pair of PAIRS) {
        const p = x.port()
        const hostA = hostOf(pair, 'A', x.o.ip, '0.0.0.0')
        const hostB = hostOf(pair, 'B', x.o.ip, '0.0.0.0')
        const listen = experiment === 'listen'
        const r = await pairCell(x.A, x.B, spec(hostA, p, reuseaddr, reuseport, listen), spec(hostB, p, reuseaddr, reuseport, listen))
        const expected = expectedFor(table, experiment, pair, reuseaddr, reuseport)
        x.cells.push({ experiment, group: 'article', pair, addrA: hostA, addrB: hostB, reuseaddr, reuseport, ...r, expected, expectedSource: table === undefined ? undefined : 'article', matches: matches(r.outcome, expected), extra: false })
      }
    }
  }
  if (table === undefined) x.skipped.push({ rows: 'article comparison', reason: `the article has no table for ${process.platform}; outcomes are recorded with expected = null` })
}

/** IPv6: ::1 twice, :: twice, and :: against 0.0.0.0 with and without IPV6_V6ONLY. */
async function ipv6Rows (x: Rows): Promise<void> {
  if (x.o.ip6 === '') {
    x.skipped.push({ rows: 'ipv6', reason: 'no IPv6 address to probe (--ip6 empty, or ::1 not available here)' })
    return
  }
  x.say('probe: IPv6 rows')
  const v6pairs: Array<{ a: string, b: string, v6only?: boolean, label: string }> = [
    { a: x.o.ip6, b: x.o.ip6, label: 'same v6 address' },
    { a: '::', b: '::', label: 'v6 wildcard twice' },
    { a: '::', b: '0.0.0.0', v6only: false, label: ':: (V6ONLY=0) then 0.0.0.0' },
    { a: '::', b: '0.0.0.0', v6only: true, label: ':: (V6ONLY=1) then 0.0.0.0' }
  ]
  for (const v of v6pairs) {
    for (const [reuseaddr, reuseport] of COMBOS) {
      const p = x.port()
      const r = await pairCell(x.A, x.B, spec(v.a, p, reuseaddr, reuseport, true, v.v6only === undefined ? {} : { v6only: v.v6only }), spec(v.b, p, reuseaddr, reuseport, true))
      x.cells.push({ experiment: 'listen', group: 'ipv6', addrA: v.v6only === undefined ? v.a : `${v.a} v6only=${v.v6only ? 1 : 0}`, addrB: v.b, reuseaddr, reuseport, ...r, expected: null, matches: null, extra: true, note: v.label })
    }
  }
}

/** Order of operations: A only bound, B binds and listens, then A tries to listen. */
async function orderRows (x: Rows): Promise<void> {
  const { A, B, o } = x
  x.say('probe: order-of-operations rows')
  for (const [reuseaddr, reuseport] of COMBOS) {
    const p = x.port()
    const row = { group: 'order', addrA: o.ip, addrB: o.ip, reuseaddr, reuseport, expected: null, matches: null, extra: true } as const
    const ra = await A.request({ op: 'open', spec: spec(o.ip, p, reuseaddr, reuseport, false) })
    if (!ra.ok || ra.fd === undefined) {
      x.cells.push({ ...row, experiment: 'B listens, A bound', outcome: `A:${ra.ok ? '?' : ra.code}`, note: 'socket A could not bind' })
      continue
    }
    const rb = await B.request({ op: 'open', spec: spec(o.ip, p, reuseaddr, reuseport, true) })
    x.cells.push({ ...row, experiment: 'B listens, A bound', ...outcomeOf(rb), note: 'A is bound but not listening when B binds and listens' })
    const rl = await A.request({ op: 'listen', fd: ra.fd })
    x.cells.push({ ...row, experiment: 'A listens after B', ...outcomeOf(rl), note: rb.ok ? 'A calls listen() while B listens on the same address' : 'A calls listen() (B had failed)' })
    if (rb.ok && rb.fd !== undefined) await B.request({ op: 'close', fd: rb.fd })
    await A.request({ op: 'close', fd: ra.fd })
  }
}

/**
 * Another user joining a SO_REUSEPORT group (Linux: same effective UID
 * required). Needs root, and a checkout other users can read: the agent for B
 * runs as uid 65534. Where either is missing the rows are skipped with the reason.
 */
async function uidRows (x: Rows): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1
  if (uid !== 0) {
    x.skipped.push({ rows: 'uid', reason: `needs root to start socket B as another user (uid ${NOBODY}); not root here` })
    return
  }
  x.say('probe: another-user rows')
  const other = new Agent('B(nobody)', { uid: NOBODY, gid: NOBODY })
  try {
    try {
      await other.request({ op: 'hello' })
    } catch (err) {
      x.skipped.push({ rows: 'uid', reason: `uid ${NOBODY} cannot run the probe agent from this checkout (${messageOf(err)}); every folder above it must be readable by other users (chmod o+rx) for these rows` })
      return
    }
    for (const who of ['same user', 'another user'] as const) {
      const p = x.port()
      const r = await pairCell(x.A, who === 'same user' ? x.B : other, spec(x.o.ip, p, 1, 1, true), spec(x.o.ip, p, 1, 1, true))
      const expected = who === 'same user' ? 'ok' : (process.platform === 'linux' ? 'EADDRINUSE' : null)
      x.cells.push({ experiment: 'listen', group: 'uid', addrA: x.o.ip, addrB: x.o.ip, reuseaddr: 1, reuseport: 1, ...r, expected, expectedSource: expected === null ? undefined : 'socket(7): all sockets of a SO_REUSEPORT group must share the effective UID', matches: matches(r.outcome, expected), extra: true, note: `A as uid 0, B as ${who === 'same user' ? 'uid 0' : `uid ${NOBODY}`}` })
    }
  } finally {
    await other.stop()
  }
}

/** Rebinding a port that has a connection in TIME_WAIT, with and without SO_REUSEADDR. */
async function timeWaitRows (x: Rows): Promise<void> {
  const { A, B, o } = x
  x.say('probe: TIME_WAIT rows')
  for (const reuseaddr of [0, 1] as Array<0 | 1>) {
    const p = freePort()
    const tw = await A.request({ op: 'timewait', host: o.ip, port: p })
    const waiting = timeWaitCount(p)
    const rb = await B.request({ op: 'open', spec: spec(o.ip, p, reuseaddr, 0, true) })
    if (rb.ok && rb.fd !== undefined) await B.request({ op: 'close', fd: rb.fd })
    const expected = reuseaddr === 1 ? 'ok' : 'EADDRINUSE'
    const outcome = tw.ok ? outcomeOf(rb) : { outcome: `setup:${tw.code}` }
    x.cells.push({ experiment: 'rebind after TIME_WAIT', group: 'timewait', addrA: o.ip, addrB: o.ip, reuseaddr, reuseport: 0, ...outcome, expected, expectedSource: 'ip(7): SO_REUSEADDR allows reuse of a port with connections in TIME_WAIT', matches: matches(outcome.outcome, expected), extra: true, note: `${waiting < 0 ? 'TIME_WAIT entries unknown' : `${waiting} connection(s) in TIME_WAIT on the port`} when B binds` })
  }
}

/**
 * The article's first experiment (bind only) with UDP sockets: the same 4 option combinations x 3 address
 * pairs. Both man pages name UDP; no listen() applies, so these are the rows a UDP server meets.
 */
async function udpRows (x: Rows): Promise<void> {
  x.say('probe: the article\'s bind cells with UDP sockets')
  for (const [reuseaddr, reuseport] of COMBOS) {
    for (const pair of PAIRS) {
      const p = x.port()
      const hostA = hostOf(pair, 'A', x.o.ip, '0.0.0.0')
      const hostB = hostOf(pair, 'B', x.o.ip, '0.0.0.0')
      const udp = { datagram: true }
      const r = await pairCell(x.A, x.B, spec(hostA, p, reuseaddr, reuseport, false, udp), spec(hostB, p, reuseaddr, reuseport, false, udp))
      x.cells.push({ experiment: 'bind (udp)', group: 'udp', pair, addrA: hostA, addrB: hostB, reuseaddr, reuseport, ...r, expected: null, matches: null, extra: true, note: 'two UDP sockets bound, as the article\'s first experiment binds two TCP sockets' })
    }
  }
}

/** SO_REUSEPORT_LB (FreeBSD 12+) on both sockets, where defined. */
async function lbRows (x: Rows): Promise<void> {
  if (!capabilities().SO_REUSEPORT_LB) {
    x.skipped.push({ rows: 'reuseport_lb', reason: `SO_REUSEPORT_LB is not defined on ${process.platform} (FreeBSD 12.0+ only)` })
    return
  }
  x.say('probe: SO_REUSEPORT_LB rows')
  for (const pair of PAIRS) {
    const p = x.port()
    const hostA = hostOf(pair, 'A', x.o.ip, '0.0.0.0')
    const hostB = hostOf(pair, 'B', x.o.ip, '0.0.0.0')
    const lb = { reuseportLb: true }
    const r = await pairCell(x.A, x.B, spec(hostA, p, 0, 0, true, lb), spec(hostB, p, 0, 0, true, lb))
    x.cells.push({ experiment: 'listen', group: 'reuseport_lb', pair, addrA: hostA, addrB: hostB, reuseaddr: 0, reuseport: 0, ...r, expected: null, matches: null, extra: true, note: 'SO_REUSEPORT_LB on both sockets instead of SO_REUSEPORT' })
  }
}

export async function runMatrix (o: MatrixOptions): Promise<MatrixResult> {
  const A = new Agent('A')
  const B = new Agent('B')
  const x: Rows = { o, A, B, port: () => o.port !== 0 ? o.port : freePort(), cells: [], skipped: [], say: o.progress ?? (() => {}) }
  try {
    for (const rows of [articleRows, udpRows, ipv6Rows, orderRows, uidRows, timeWaitRows, lbRows]) await rows(x)
  } finally {
    await Promise.all([A.stop(), B.stop()])
  }
  return { cells: x.cells, skipped: x.skipped }
}
