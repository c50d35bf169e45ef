// Synthetic result documents for unit tests of pure code (reports, verdict,
// loading). They are built with real histograms but are not measurements.
import { fairness } from '../src/analyse/fairness.js'
import { placementTest } from '../src/analyse/placement.js'
import { compareToBaseline } from '../src/analyse/compare.js'
import { createHistogram, encodeHistogram, summarize } from '../src/collect/histogram.js'
import { DEFAULT_PLAN } from '../src/plan/validate.js'
import type { ResultDoc } from '../src/types/docs.js'
import type { Mode } from '../src/types/plan.js'
import type { ModeRun } from '../src/types/run.js'
import { schemaId } from '../src/types/schemaIds.js'

function hist (base: number, n: number): { enc: string, sum: ReturnType<typeof summarize>, ms: ReturnType<typeof summarize> } {
  const h = createHistogram()
  for (let i = 0; i < n; i++) h.recordValue(base + (i % 97) * 3)
  return { enc: encodeHistogram(h), sum: summarize(h), ms: summarize(h, 1000) }
}

export function makeRun (mode: Mode, accepts: number[], rps = 10000): ModeRun {
  const server = hist(10, 500)
  const client = hist(1000, 500)
  const listeners = accepts.map((a, index) => ({ index, pid: 1000 + index, accepts: a, requests: a * 100, errors: 0, resets: a, cpuMs: 10, rssBytes: 50e6, latencyUs: server.sum, histogram: server.enc, loopDelayMs: { p50: 0, p99: 1, max: 2 }, peers: { '127.0.0.1': a } }))
  const total = accepts.reduce((x, y) => x + y, 0)
  return {
    mode,
    socketOption: mode === 'reuseport' ? 'SO_REUSEPORT' : 'none',
    socketNote: '',
    workers: accepts.length,
    port: 1234,
    startedAt: '2026-01-01T00:00:00.000Z',
    readyMs: 100,
    load: { connections: total, durationSec: 1, warmupSec: 0, churn: 0, rate: 0 },
    client: { requests: total * 100, responses: total * 100, autocannonResponses: total * 100, sent: total * 100, errors: 0, timeouts: 0, non2xx: 0, connectionsOpened: total, durationSec: 1, rps, bytes: 1, latencyMs: client.ms, histogram: client.enc, byListener: [], errorCodes: {}, errorTimesMs: [] },
    loadGenerator: { userMs: 1, systemMs: 1, wallMs: 1000, coreShare: 0.5, saturated: false },
    listeners,
    scenario: {},
    trial: 1,
    serverLatencyUs: server.sum,
    serverHistogram: server.enc,
    fairness: fairness(accepts),
    requestFairness: fairness(accepts.map(a => a * 100)),
    placement: placementTest(accepts),
    accounting: { clientConnections: total, listenerAccepts: total, acceptsMatch: true, clientResponses: total * 100, listenerRequests: total * 100, requestDifference: 0, explained: true, note: 'exact' }
  }
}

export function makeDoc (runs: ModeRun[], label = ''): ResultDoc {
  return {
    $schema: schemaId('result'),
    schemaVersion: 1,
    tool: { name: 'reuseport-bench', version: 'test' },
    status: 'complete',
    label,
    createdAt: '2026-01-01T00:00:00.000Z',
    command: 'reuseport-bench run (synthetic test document)',
    plan: { ...DEFAULT_PLAN, label },
    host: { platform: 'linux', release: '6.0', arch: 'x64', cpus: 2, cpuModel: 'test', memoryBytes: 1, node: 'v20', hostname: 'test<host>', sysctls: {}, capabilities: { SO_REUSEPORT: true, SO_REUSEPORT_LB: false, IPV6_V6ONLY: true, SO_ATTACH_REUSEPORT_CBPF: true, reuseportBalances: true } },
    runs,
    baseline: 'shared',
    comparison: compareToBaseline(runs.map(r => ({ mode: r.mode, workers: r.workers, rps: r.client.rps, p99Ms: r.client.latencyMs.p99, jain: r.fairness.jain })), 'shared'),
    notes: { fairness: 'test' }
  }
}
