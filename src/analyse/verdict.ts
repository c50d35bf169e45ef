/**
 * The verdict: what a person can act on, in a few sentences, from the figures.
 */
import { TCP_WORDS } from './words.js'
import type { Words } from './words.js'
import { CLIENT_BOUND_FIX } from './bottleneck.js'
import type { Comparison } from '../types/docs.js'
import type { Bottleneck, Fairness, Placement } from '../types/run.js'
import { baselineMode, LISTENER_KINDS } from '../topology/kinds/index.js'

export interface VerdictRun {
  mode: string
  workers: number
  rps: number
  p99Ms: number
  fairness: Fairness
  /** Accepts against random placement; absent in results written before it existed. */
  placement?: Placement
  accepts: number
  churn: number
  saturated: boolean
  /** Which side limited throughput; absent in older results. */
  bound?: Bottleneck['kind']
}

/** What the host had, where it shapes the result: its CPUs, and the sets the client and the listeners were pinned to (null: not pinned). */
/** The CPUs the listeners ran on (their host's), how they were pinned, and whether the load came from other machines (a run over several hosts). */
export interface VerdictHost { cpus: number, pinned?: { client: number[] | null, listeners: number[] | null }, clientElsewhere?: boolean }

const r2 = (x: number | null): string => x === null ? '-' : x.toFixed(2)
const r3 = (x: number | null): string => x === null ? '-' : x.toFixed(3)
/** A p-value as stored (4 decimals): "below 0.0001" rather than 0. */
const prob = (x: number | null): string => x === null ? '-' : x < 0.0001 ? 'below 0.0001' : String(x)
const pc = (x: number | null): string => x === null ? '-' : `${Math.round(x * 100)}%`

/** What a published source says of this mode's spread (its kind's claim), and whether the data match it, contradict it, or cannot tell. */
export function publishedClause (mode: string, p: Placement): string {
  // The kind's own name only: a second arm (reuseport#2) runs under its own name, as before.
  const src = LISTENER_KINDS.find(k => k.mode === mode)?.claims?.spread
  if (src === undefined || p.classification === 'not applicable') return ''
  if (src.expect === p.classification) return ` As published: ${src.source}.`
  if (p.classification === 'consistent with random hashing') return ` Published: ${src.source}; ${p.n} connections can neither confirm nor rule that out here.`
  return ` Unlike what is published: ${src.source}.`
}

/** One mode's spread of connections, against what random hashing of the same connections gives. */
export function fairnessSentence (r: VerdictRun, w: Words = TCP_WORDS): string {
  const p = r.placement
  const f = r.fairness
  const busiest = `the busiest process took ${pc(f.busiestShare)} of ${r.accepts} ${w.connections}${f.idle > 0 ? `, ${f.idle} process${f.idle === 1 ? '' : 'es'} got none` : ''}`
  if (p === undefined || p.jainRange === null) return `${r.mode}: Jain's index ${r3(f.jain)} over ${r.workers} processes; ${busiest}.`
  const range = `uniform random placement of ${p.n} ${w.connections} on ${p.k} listeners gives ${r3(p.jainRange[0])} to ${r3(p.jainRange[1])} in 95% of cases`
  const why = p.classification === 'more skewed than random hashing'
    ? `; random placement is this uneven with probability ${prob(p.pMoreSkewed)}`
    : p.classification === 'more even than random placement' ? `; random placement is this even with probability ${prob(p.pMoreEven)}` : ''
  // What is published of these modes is of TCP connections; a UDP run is not held against it.
  return `${r.mode}: ${p.classification} (Jain's index ${r3(f.jain)}; ${range}${why}); ${busiest}.${w.protocol === 'tcp' ? publishedClause(r.mode, p) : ''}`
}

/** Throughput and p99 against the shared-accept baseline, with what one trial can and cannot say. */
function baselineSentence (runs: readonly VerdictRun[], comparison: readonly Comparison[]): string | undefined {
  const parts = runs.flatMap(r => {
    const c = comparison.find(x => x.mode === r.mode && x.workers === r.workers)
    return c === undefined || c.mode === c.baseline ? [] : [`${r.mode} ${r2(c.throughputRatio)}x the requests/s at ${r2(c.p99Ratio)}x the client p99`]
  })
  if (parts.length === 0) return undefined
  return `Against the shared-accept baseline: ${parts.join('; ')}. One trial per mode gives no interval: differences of a few percent are within what repeating the run moves them (--trials 3 or more measures that).`
}

/** Said when the listener processes (and the client, where they share CPUs) outnumber the CPUs they ran on; undefined otherwise. */
export function hostLimit (workers: readonly number[], host: VerdictHost | undefined): string | undefined {
  const most = Math.max(0, ...workers)
  if (host === undefined) return undefined
  const listeners = host.pinned?.listeners ?? null
  if (listeners !== null) {
    if (most <= listeners.length) return undefined
    const client = host.pinned?.client ?? null
    const apart = client !== null && !client.some(c => listeners.includes(c))
    return `The listeners ran on ${listeners.length} CPU${listeners.length === 1 ? '' : 's'} (${listeners.join(',')})${apart ? ` and the load generator on ${client.length === 1 ? 'its own' : `its own ${client.length}`} (${client.join(',')})` : ''}: up to ${most} listener processes shared ${listeners.length === 1 ? 'it' : 'them'}, so configurations with more processes than CPUs pay for it here; on a larger machine the order may differ.`
  }
  if (host.clientElsewhere === true) {
    if (most <= host.cpus) return undefined
    return `The server host has ${host.cpus} CPU${host.cpus === 1 ? '' : 's'}: up to ${most} listener processes shared them (the load came from other machines), so configurations with more processes than CPUs pay for it there; on a larger machine the order may differ.`
  }
  if (most + 1 <= host.cpus) return undefined
  return `This host has ${host.cpus} CPU${host.cpus === 1 ? '' : 's'}: up to ${most} listener processes and the load generator shared them, so configurations with more processes than CPUs pay for it here; on a larger machine the order may differ.`
}

/** Said when some cells (named) were bound by the client: their throughput is not ranked. */
export function clientBound (names: readonly string[]): string | undefined {
  const uniq = [...new Set(names)]
  if (uniq.length === 0) return undefined
  return `Client-bound: ${uniq.join(', ')} - the load generator used 90% or more of its one core while the listeners had CPU to spare, so that throughput measures the client, not the way of sharing the port, and is not ranked; ${CLIENT_BOUND_FIX}.`
}

/** Said when the load generator saturated a core in some runs (named); undefined otherwise. */
export function saturation (runs: ReadonlyArray<{ name: string, saturated: boolean }>): string | undefined {
  const sat = [...new Set(runs.filter(r => r.saturated).map(r => r.name))]
  if (sat.length === 0) return undefined
  return `The load generator used 90% or more of a CPU core in ${sat.join(', ')}: throughput there is bounded by the client, so compare ratios, not absolute throughput.`
}

export function verdict (runs: readonly VerdictRun[], comparison: readonly Comparison[], host?: VerdictHost, w: Words = TCP_WORDS): string[] {
  const spread = runs.filter(r => r.workers > 1 && r.fairness.jain !== null)
  const out: string[] = []
  if (spread.length === 0) {
    if (runs.length > 0) out.push('Only single-process runs: there is nothing to spread; the figures are the floor for comparison.')
    return out
  }
  for (const r of spread) out.push(fairnessSentence(r, w))
  if (spread.every(r => r.placement?.classification === 'consistent with random hashing')) {
    out.push(`No mode spread ${w.connections} measurably differently from random hashing at this number of ${w.connections}: their Jain's indexes differ only as random placement would.`)
  }
  const base = baselineSentence(runs, comparison)
  if (base !== undefined) out.push(base)
  const bound = clientBound(runs.filter(r => r.bound === 'client-bound').map(r => r.mode))
  if (bound !== undefined) out.push(bound)
  const fastest = [...runs].filter(r => r.bound !== 'client-bound').sort((a, b) => b.rps - a.rps)[0]
  const lowestP99 = [...runs].sort((a, b) => a.p99Ms - b.p99Ms)[0]
  if (fastest !== undefined && lowestP99 !== undefined) {
    out.push(`Highest throughput in this run${bound === undefined ? '' : ' among the cells the client did not bind'}: ${fastest.mode} (${Math.round(fastest.rps).toLocaleString('en-US')} ${w.rate}); lowest client p99: ${lowestP99.mode} (${lowestP99.p99Ms.toFixed(2)} ms).`)
  }
  const limit = hostLimit(runs.map(r => r.workers), host)
  if (limit !== undefined) out.push(limit)
  const sat = saturation(runs.map(r => ({ name: r.mode, saturated: r.saturated })))
  if (sat !== undefined) out.push(sat)
  const first = spread[0]
  if (w.protocol === 'tcp' && runs.every(r => r.churn === 0) && first !== undefined) out.push(`With keep-alive each process's share of connections is decided once per connection, so fairness here rests on ${first.accepts} connections per mode; --churn K spreads many more.`)
  return out
}

/** The runs' figures the scenario verdicts need. */
export interface ScenarioRun {
  mode: string
  variant?: string
  client: { errors: number, latencyMs: { mean: number, p99: number } }
  scenario?: { stall?: unknown, restart?: { errorsInWindow: number, errorCodes: Record<string, number>, tcpMigrateReq: string | null } }
}

const r1 = (x: number): string => x.toFixed(1)

/**
 * Whether the published shape appears: with one stalled worker, reuseport's
 * mean stays near the shared socket's while its tail is much wider (Cloudflare
 * 2017: avg 31.37 vs 30.39 ms, max 144.55 vs 72.65 ms). "Much wider" is taken
 * as a p99 at least twice the shared socket's. The kind the claim is about
 * carries it (claims.stallTail); the shared socket is the baseline.
 */
export function stallShape (runs: readonly ScenarioRun[]): string | undefined {
  const stalled = (mode: string): ScenarioRun | undefined => runs.find(r => r.mode === mode && r.variant === undefined && r.scenario?.stall !== undefined)
  const claimed = LISTENER_KINDS.find(k => k.claims?.stallTail === true)
  const rp = claimed === undefined ? undefined : stalled(claimed.mode)
  const sh = stalled(baselineMode())
  if (rp === undefined || sh === undefined || sh.client.latencyMs.p99 === 0) return undefined
  const tail = rp.client.latencyMs.p99 / sh.client.latencyMs.p99
  const mean = rp.client.latencyMs.mean / sh.client.latencyMs.mean
  const appears = tail >= 2
  return `With one listener stalling, the published shape (similar mean, much wider tail for ${rp.mode}) ${appears ? 'appears' : 'does not appear'} on this host: ${rp.mode} p99 ${r1(rp.client.latencyMs.p99)} ms against ${sh.mode}'s ${r1(sh.client.latencyMs.p99)} ms (${tail.toFixed(1)}x), mean ${r1(rp.client.latencyMs.mean)} against ${r1(sh.client.latencyMs.mean)} ms (${mean.toFixed(1)}x).`
}

/** What a rolling restart cost each mode, in client errors during the restart window. */
export function restartShape (runs: readonly ScenarioRun[]): string | undefined {
  const rs = runs.filter(r => r.scenario?.restart !== undefined)
  if (rs.length === 0) return undefined
  const parts = rs.map(r => {
    const x = r.scenario?.restart
    const codes = Object.entries(x?.errorCodes ?? {}).map(([k, v]) => `${v} ${k}`).join(', ')
    return `${r.mode}${r.variant === undefined ? '' : ` with ${r.variant}`}: ${x?.errorsInWindow ?? 0} client error${x?.errorsInWindow === 1 ? '' : 's'}${codes === '' ? '' : ` (${codes})`}`
  })
  return `Rolling restart, client errors while listeners were replaced - ${parts.join('; ')}.`
}
