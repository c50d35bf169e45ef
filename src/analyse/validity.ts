/**
 * Whether a cell's figures measure its listeners at all. Two ways they do not:
 * - another process's sockets took part (a second run sharing the port through
 *   SO_REUSEPORT): the listeners accepted connections the client never opened,
 *   the client's connections were accepted elsewhere, or the client received
 *   responses these listeners never sent;
 * - the listeners answered none, or few, of the requests: a latency percentile
 *   of nothing is no data, and 0 req/s is not a throughput to rank;
 * - most answers were errors (not 2xx): a fast failure is not a throughput;
 * - the connections mostly waited on answers that never came (a handler that
 *   leaves requests hanging): by Little's law the answered requests kept them
 *   busy only a sliver of the time.
 * Such a cell is named and left out of every ratio, verdict ranking and gate.
 */
import { percent } from '../numbers.js'
import type { LoadResult } from '../types/load.js'
import type { RunPlan } from '../types/plan.js'
import type { Accounting, CellInvalid, DatagramAccounting, ModeRun } from '../types/run.js'
import { flowsExplained, moreThanSent } from './datagramAccounting.js'

type Plan = Pick<RunPlan, 'churn' | 'instrument' | 'restart' | 'rate'>
type Client = Pick<LoadResult, 'sent' | 'responses' | 'errors' | 'timeouts' | 'connectionsOpened' | 'non2xx' | 'rps'> & { latencyMs: Pick<LoadResult['latencyMs'], 'mean'> }

/** Past this share of responses that are not 2xx, a cell measured failures. */
export const MOST_ERRORS = 0.5

/** Below this share of the time busy (req/s x mean latency / connections), a cell's connections mostly waited on nothing. */
export const BUSY_AT_LEAST = 0.05

/** UDP: what only a sender or answerer outside this run explains, or undefined. */
function foreignSender (a: Accounting, d: DatagramAccounting): string | undefined {
  if (d.notArrived < 0) return moreThanSent(d)
  if (a.requestDifference < 0 || a.listenerAccepts < a.clientConnections) return `the client got answers these listeners never sent (${d.answered} answers, ${d.received} datagrams received): another process answered on this port`
  if (!flowsExplained(a)) return `the listeners saw ${a.listenerAccepts - a.clientConnections} more flow-listener pairs than the client's answers show, more than the ${d.received - d.answered} datagrams whose answers were still on their way: another sender on this port`
  return undefined
}

/** What only a socket outside this run explains, or undefined. */
function foreign (plan: Plan, connections: number, client: Client, a: Accounting): string | undefined {
  if (a.datagrams !== undefined) return foreignSender(a, a.datagrams)
  const extraAccepts = a.listenerAccepts - a.clientConnections
  // A churning client may open a connection in the last instant that it never counts: at most one per connection.
  if (extraAccepts > (plan.churn > 0 ? connections : 0)) return `the listeners accepted ${extraAccepts} more connections than the client opened: another process connected to this port`
  const clean = client.errors + client.timeouts === 0 && plan.churn === 0 && !plan.restart
  if (clean && extraAccepts < 0) return `${-extraAccepts} of the client's ${a.clientConnections} connections were accepted by a socket outside this run (no errors, no churn): another process listens on this port`
  if (plan.instrument && a.requestDifference < 0) return `the client received ${-a.requestDifference} responses that these listeners never sent: another process answered on this port`
  return undefined
}

/** Why the listeners' answers are too few to measure, or undefined. */
function unanswered (connections: number, client: Client): string | undefined {
  if (client.responses === 0) return client.sent === 0 ? 'the client sent no request (it could not connect): no data' : `the listeners answered none of the ${client.sent} requests sent: no data, not a latency of 0`
  const open = client.sent - client.responses
  if (open > connections && client.responses < client.sent / 2) return `the listeners answered ${client.responses} of ${client.sent} requests sent: most were never answered`
  return undefined
}

/** Why most answers do not count, or undefined. */
function failed (client: Client): string | undefined {
  if (client.responses === 0 || client.non2xx <= MOST_ERRORS * client.responses) return undefined
  return `${client.non2xx} of ${client.responses} responses were not 2xx: the listeners answered with errors, which is not a throughput to rank`
}

/** Why the connections mostly waited on answers that never came, or undefined (a fixed --rate leaves them idle by design). */
function stalled (plan: Plan, connections: number, client: Client): string | undefined {
  if (plan.rate > 0 || client.responses === 0 || !(client.latencyMs.mean > 0) || connections <= 0) return undefined
  const busy = client.rps * client.latencyMs.mean / 1000 / connections
  if (busy >= BUSY_AT_LEAST) return undefined
  return `the ${connections} connections were busy with answered requests ${percent(busy)} of the time (${client.rps.toFixed(1)} req/s at a mean of ${client.latencyMs.mean.toFixed(2)} ms): most of them waited on answers that never came`
}

/** The cell's fault, or undefined for a cell whose figures stand. */
export function judgeCell (plan: Plan, connections: number, client: Client, a: Accounting): CellInvalid | undefined {
  const f = foreign(plan, connections, client, a)
  if (f !== undefined) return { kind: 'foreign-socket', reason: f }
  // UDP past its listeners' capacity: datagrams dropped at full sockets or still queued are what is measured, once the accounting shows where each went.
  const u = a.datagrams?.closes === true && client.responses > 0 ? undefined : unanswered(connections, client)
  if (u !== undefined) return { kind: 'unanswered', reason: u }
  const e = failed(client)
  if (e !== undefined) return { kind: 'errors', reason: e }
  const s = stalled(plan, connections, client)
  return s === undefined ? undefined : { kind: 'stalled', reason: s }
}

/** The cells whose figures stand: the only ones ratios, rankings and gates read. */
export function measured<T extends Pick<ModeRun, 'invalid'>> (runs: readonly T[]): T[] {
  return runs.filter(r => r.invalid === undefined)
}

/** "reuseport (4 workers, 50 connections, trial 2) is invalid: ...": one line per set-aside cell. */
export function invalidLines (runs: ReadonlyArray<Pick<ModeRun, 'invalid' | 'mode' | 'variant' | 'workers' | 'trial' | 'load'>>): string[] {
  return runs.flatMap(r => r.invalid === undefined
    ? []
    : [`${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`} (${r.workers} workers, ${r.load.connections} connections, trial ${r.trial}) is invalid, left out of every ratio and gate: ${r.invalid.reason}`])
}
