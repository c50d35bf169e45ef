/**
 * The one set of formatters for numbers as text, in the terminal, the HTML
 * and the sentences of both: '-' for what is missing.
 */
import { num, percent } from '../numbers.js'
import type { ModeRun } from '../types/run.js'

/** `digits` decimals with thousands separators, and shares as percentages; '-' for null, undefined or not finite. */
export { num, percent } from '../numbers.js'

/** `part` as a share of `total`; '-' when the total is 0. */
export function share (part: number, total: number): string {
  return total === 0 ? '-' : percent(part / total)
}

/** Busiest over least busy: 'unbounded' when some listener got none, '-' when nobody got any. */
export function maxMin (ratio: number | null, idle: number): string {
  if (ratio !== null) return num(ratio, 2)
  return idle > 0 ? 'unbounded' : '-'
}

/** Fairness of accepts in one line: Jain's index, busiest over least busy, CoV, busiest share. */
export function fairnessText (f: { jain: number | null, maxMinRatio: number | null, cov: number | null, busiestShare: number | null, idle: number }): string {
  return `jain ${num(f.jain, 3)}, max/min ${maxMin(f.maxMinRatio, f.idle)}${f.maxMinRatio === null && f.idle > 0 ? ` (${f.idle} got none)` : ''}, cov ${num(f.cov, 3)}, busiest ${percent(f.busiestShare)}`
}

/** The accepts against random placement, in one line. */
export function placementText (p: { n: number, k: number, expectedJain: number | null, jainRange: [number, number] | null, pMoreSkewed: number | null, pMoreEven: number | null, classification: string, method: string }, connections = 'connections'): string {
  if (p.jainRange === null) return `random placement: ${p.classification}`
  return `against random placement of ${p.n} ${connections} on ${p.k} listeners (${p.method}): Jain expected ${num(p.expectedJain, 3)}, 95% of placements ${num(p.jainRange[0], 3)} to ${num(p.jainRange[1], 3)}; chance of being this skewed ${num(p.pMoreSkewed, 3)}, this even ${num(p.pMoreEven, 3)}: ${p.classification}`
}

/** Where a UDP run's datagrams went, and whether its flows stayed with one listener: the terminal's and the report's words; undefined for a TCP run. */
export function datagramText (r: Pick<ModeRun, 'accounting' | 'client'>): string | undefined {
  const d = r.accounting.datagrams
  if (d === undefined) return undefined
  const u = r.client.udp
  const flows = u === undefined || u.splitFlows === 0 ? 'each flow kept to one listener' : `${num(u.splitFlows)} of ${num(r.client.connectionsOpened)} flows answered by more than one listener (one socket read by every process)`
  return `of ${num(d.sent)} datagrams sent, ${num(d.answered)} answered, ${num(d.lost)} lost, ${num(d.unanswered)} unanswered at the end; the listeners received ${num(d.received)}, their sockets dropped ${d.drops === null ? 'an unknown number' : num(d.drops)}; ${flows}`
}

/** a over b as "1.23x"; '-' when either is missing or b is 0. */
export function ratio (a: number | null | undefined, b: number | null | undefined): string {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(2)}x`
}

/** A median with its interval: "123 [120, 130]" (bootstrap), "123 [110, 140] min-max of 3", "123 (1 trial: no interval)". */
export function interval (e: { median: number, lo: number, hi: number, n: number, method?: string }, digits: number): string {
  if (e.method === 'none' || e.n < 2) return `${num(e.median, digits)} (${e.n} trial: no interval)`
  const range = `${num(e.median, digits)} [${num(e.lo, digits)}, ${num(e.hi, digits)}]`
  return e.method === 'min-max' ? `${range} min-max of ${e.n}` : range
}

/** "keep-alive", "a new connection for every request", "a new connection every 10 requests". */
export function describeChurn (churn: number): string {
  if (churn <= 0) return 'keep-alive'
  return churn === 1 ? 'a new connection for every request' : `a new connection every ${churn} requests`
}

/**
 * The load generator's CPU and which side limited the cell: its bottleneck
 * verdict, or, in results written before it, whether the client saturated.
 */
export function loadGeneratorText (r: { loadGenerator: { coreShare: number, saturated: boolean }, bottleneck?: { kind: string, clientLoopBusy?: number, listenerShare: number, listenerCapacity: number } }): string {
  const client = `${percent(r.loadGenerator.coreShare, 0)} of one core`
  const b = r.bottleneck
  if (b === undefined) return `${client}${r.loadGenerator.saturated ? ' - saturated: the client limited throughput' : ''}`
  const loop = b.clientLoopBusy === undefined ? '' : `, its busiest event loop ${percent(b.clientLoopBusy, 0)} busy`
  return `${client}${loop}; listeners ${percent(b.listenerShare, 0)} of ${b.listenerCapacity} core${b.listenerCapacity === 1 ? '' : 's'}: ${b.kind}`
}

/** A client latency percentile, ms, or 'no data' when there was no response to measure (never 0). */
export function latencyText (client: { responses: number }, ms: number): string {
  return client.responses === 0 ? 'no data' : num(ms, 3)
}

/** The line that sets a cell aside (ModeRun.invalid), or none. */
export function invalidText (r: { invalid?: { reason: string } }): string[] {
  return r.invalid === undefined ? [] : [`INVALID, left out of every ratio and gate: ${r.invalid.reason}`]
}
