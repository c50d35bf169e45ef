/**
 * The verdict: what a person can act on, in a few sentences, from the figures.
 */
import type { Comparison } from '../types/docs.js'
import type { Fairness } from '../types/run.js'

export interface VerdictRun {
  mode: string
  workers: number
  rps: number
  p99Ms: number
  fairness: Fairness
  accepts: number
  churn: number
  saturated: boolean
}

const r2 = (x: number | null): string => x === null ? '-' : x.toFixed(2)
const r3 = (x: number | null): string => x === null ? '-' : x.toFixed(3)
const pc = (x: number | null): string => x === null ? '-' : `${Math.round(x * 100)}%`

export function verdict (runs: readonly VerdictRun[], comparison: readonly Comparison[]): string[] {
  const shared = runs.filter(r => r.workers > 1 && r.fairness.jain !== null)
  const out: string[] = []
  if (shared.length === 0) {
    if (runs.length > 0) out.push('Only single-process runs: there is nothing to spread; the figures are the floor for comparison.')
    return out
  }
  const byJain = [...shared].sort((a, b) => (b.fairness.jain ?? 0) - (a.fairness.jain ?? 0))
  const best = byJain[0]
  const worst = byJain[byJain.length - 1]
  if (best === undefined || worst === undefined) return out
  out.push(`${best.mode} spread connections most evenly over its ${best.workers} processes (Jain's index ${r3(best.fairness.jain)}; the busiest process took ${pc(best.fairness.busiestShare)} of ${best.accepts} connections).`)
  const c = comparison.find(x => x.mode === best.mode && x.workers === best.workers)
  if (best.mode === 'shared') out.push('That is the shared-accept baseline itself.')
  else if (c !== undefined) out.push(`Against the shared-accept baseline it served ${r2(c.throughputRatio)}x the requests/s at ${r2(c.p99Ratio)}x the client p99.`)
  if (worst !== best) out.push(`Least even: ${worst.mode} (Jain's index ${r3(worst.fairness.jain)}; its busiest process took ${pc(worst.fairness.busiestShare)}${worst.fairness.idle > 0 ? `, ${worst.fairness.idle} process${worst.fairness.idle === 1 ? '' : 'es'} got none` : ''}).`)
  const fastest = [...runs].sort((a, b) => b.rps - a.rps)[0]
  const lowestP99 = [...runs].sort((a, b) => a.p99Ms - b.p99Ms)[0]
  if (fastest !== undefined && lowestP99 !== undefined) {
    out.push(`Highest throughput: ${fastest.mode} (${Math.round(fastest.rps).toLocaleString('en-US')} req/s); lowest client p99: ${lowestP99.mode} (${lowestP99.p99Ms.toFixed(2)} ms).`)
  }
  const sat = runs.filter(r => r.saturated).map(r => r.mode)
  if (sat.length > 0) out.push(`The load generator used 90% or more of a CPU core in ${sat.join(', ')}: throughput there is bounded by the client, so compare ratios, not absolute req/s.`)
  if (runs.every(r => r.churn === 0)) out.push(`With keep-alive each process's share of connections is decided once per connection, so fairness here rests on ${best.accepts} connections per mode; --churn K spreads many more.`)
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
 * as a p99 at least twice the shared socket's.
 */
export function stallShape (runs: readonly ScenarioRun[]): string | undefined {
  const rp = runs.find(r => r.mode === 'reuseport' && r.variant === undefined && r.scenario?.stall !== undefined)
  const sh = runs.find(r => r.mode === 'shared' && r.variant === undefined && r.scenario?.stall !== undefined)
  if (rp === undefined || sh === undefined || sh.client.latencyMs.p99 === 0) return undefined
  const tail = rp.client.latencyMs.p99 / sh.client.latencyMs.p99
  const mean = rp.client.latencyMs.mean / sh.client.latencyMs.mean
  const appears = tail >= 2
  return `With one listener stalling, the published shape (similar mean, much wider tail for reuseport) ${appears ? 'appears' : 'does not appear'} on this host: reuseport p99 ${r1(rp.client.latencyMs.p99)} ms against the shared socket's ${r1(sh.client.latencyMs.p99)} ms (${tail.toFixed(1)}x), mean ${r1(rp.client.latencyMs.mean)} against ${r1(sh.client.latencyMs.mean)} ms (${mean.toFixed(1)}x).`
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
