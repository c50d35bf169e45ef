/**
 * A FreeBSD result FIXTURE built from the article's FreeBSD table: the 24
 * cells as the article published them, no benchmark runs (the article has no
 * throughput figures). Labelled as a fixture everywhere it appears; it lets the
 * import and compare path be tested where no FreeBSD host exists.
 */
import { DEFAULT_PLAN } from '../plan/validate.js'
import { toolVersion } from '../version.js'
import { ARTICLE_SOURCE, FREEBSD_TABLE } from './article.js'
import type { ResultDoc } from '../types/docs.js'
import type { ProbeCell, ProbeDoc } from '../types/probe.js'
import { schemaId } from '../types/schemaIds.js'
import { baselineMode } from '../topology/kinds/index.js'

export const FIXTURE_NOTE = `FreeBSD fixture transcribed from the article's FreeBSD 14.1 table (${ARTICLE_SOURCE}); not measured by this harness, no benchmark runs`

/** The article's FreeBSD cells, as transcribed (never measured). */
function fixtureCells (): ProbeCell[] {
  return FREEBSD_TABLE.map(c => ({
    experiment: c.experiment,
    group: 'article',
    pair: c.pair,
    addrA: c.pair === 'any-any' ? '0.0.0.0' : '172.22.147.210',
    addrB: c.pair === 'specific-specific' ? '172.22.147.210' : '0.0.0.0',
    reuseaddr: c.reuseaddr,
    reuseport: c.reuseport,
    outcome: c.outcome,
    expected: c.outcome,
    expectedSource: 'article',
    matches: null,
    extra: false,
    note: 'fixture: transcribed from the article, not measured'
  }))
}

export function freebsdFixture (): ResultDoc {
  const cells = fixtureCells()
  const host = {
    platform: 'freebsd',
    release: '14.1-RELEASE (as reported by the article)',
    arch: 'unknown',
    cpus: 0,
    cpuModel: 'unknown (fixture)',
    memoryBytes: 0,
    node: 'none (fixture)',
    hostname: 'fixture',
    sysctls: {},
    capabilities: { SO_REUSEPORT: true, SO_REUSEPORT_LB: true, IPV6_V6ONLY: true, SO_ATTACH_REUSEPORT_CBPF: false, reuseportBalances: false }
  }
  const probe: ProbeDoc = {
    $schema: schemaId('probe'),
    schemaVersion: 1,
    kind: 'probe',
    tool: { name: 'reuseport-bench', version: toolVersion() },
    createdAt: new Date(0).toISOString(),
    command: 'fixture (no command was run)',
    platform: 'freebsd',
    release: host.release,
    host,
    options: { ip: '172.22.147.210', ip6: '', port: 8080, workers: 0, sequence: 0, spread: 0 },
    comparedWith: null,
    summary: { articleCells: 24, articleMatches: 0, mismatches: 0 },
    cells,
    skipped: [{ rows: 'all measured rows', reason: 'fixture: nothing was measured' }],
    acceptOrder: []
  }
  return {
    $schema: schemaId('result'),
    schemaVersion: 1,
    tool: { name: 'reuseport-bench', version: toolVersion() },
    status: 'complete',
    label: 'FreeBSD FIXTURE (article table)',
    createdAt: new Date(0).toISOString(),
    command: 'fixture (no command was run)',
    plan: { ...DEFAULT_PLAN, modes: [], label: 'FreeBSD FIXTURE (article table)' },
    host,
    runs: [],
    baseline: baselineMode(),
    comparison: [],
    notes: { fixture: FIXTURE_NOTE },
    probe,
    fixture: FIXTURE_NOTE
  }
}
