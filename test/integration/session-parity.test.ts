// One session for the CLI and the API (engine/session.ts): the same plan run through
// `reuseport-bench run --json` and through `run()` gives result documents that agree
// field by field, apart from what a measurement or a clock decides (real processes,
// real load; the client namespace and the restart's tcp_migrate_req variant included).
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { test } from 'node:test'
import { run } from '../../src/api/index.js'
import type { RunOptions } from '../../src/api/index.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { runCli } from '../helpers.js'
import { scratch } from '../scratch.js'

/** Fields whose values a clock, a pid or the load decides: compared by presence and type only. */
const MEASURED = /^(createdAt|startedAt|readyMs|command|port|pid|pids|clientNs|serverNs|atMs|drainMs|tcpMigrateReq)$/

/** What a run's cells record from the plan and the host, never from the load. */
const DECIDED = /^runs\[\d+\]\.(mode|trial|variant|workers|socketOption|socketNote|listenerNode|load\.\w+|cpus\.\w+|scenario\.\w+\.busyMs)$/

/**
 * Parts whose keys or lengths the load or the host decides: which listener a connection reached, which errors came; and
 * which rounds the host check left out and why, which decides how many rounds the sweep and the pairs hold. Compared by type only.
 */
const OPAQUE = /^runs\[\d+\]\.(client\.byListener|listeners\[\d+\]\.peers|samples|placement|scenario\.restart\.(events|errorCodes)|client\.errorCodes|client\.errorTimesMs)$|histogram$|^(hostCheck|sweep|paired)$/i

/**
 * Every path of `a` and `b` with its value's type, and its value where a run does not decide it.
 * Numbers under runs[] are measurements (only their presence counts); maps keyed by what happened
 * (error codes, samples by time) count by presence.
 */
export function shapeOf (v: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  const inRuns = at.startsWith('runs[')
  if (OPAQUE.test(at)) {
    out.set(at, Array.isArray(v) ? 'array' : typeof v)
  } else if (Array.isArray(v)) {
    out.set(at, inRuns && typeof v[0] !== 'object' ? 'array' : `array(${v.length})`)
    if (!inRuns || typeof v[0] === 'object') v.forEach((x, i) => shapeOf(x, `${at}[${i}]`, out))
  } else if (v !== null && typeof v === 'object') {
    out.set(at, 'object')
    for (const [k, x] of Object.entries(v)) shapeOf(x, at === '' ? k : `${at}.${k}`, out)
  } else {
    const key = at.split('.').pop() ?? ''
    // Under runs[], only what the plan decides is compared by value; the rest (figures, histograms, notes on them) by type.
    const measured = MEASURED.test(key) || (inRuns && !DECIDED.test(at)) || at.startsWith('comparison') || at.startsWith('hostCheck') || at.startsWith('host.')
    out.set(at, measured ? (v === null ? 'number' : typeof v) : JSON.stringify(v))
  }
  return out
}

function assertSameShape (cli: ResultDoc, api: ResultDoc): void {
  const a = shapeOf(cli)
  const b = shapeOf(api)
  const differ = [...new Set([...a.keys(), ...b.keys()])].filter(k => a.get(k) !== b.get(k)).map(k => `${k}: cli ${a.get(k) ?? '(absent)'}, api ${b.get(k) ?? '(absent)'}`)
  assert.deepEqual(differ, [], differ.join('\n'))
  assert.ok(a.size > 100, `the documents have ${a.size} fields`)
}

async function both (args: string[], options: RunOptions): Promise<{ cli: ResultDoc, api: ResultDoc }> {
  const out = scratch('rb-parity-')
  try {
    const r = await runCli(['run', ...args, '--json', '--out', out], 120_000)
    assert.equal(r.code, 0, r.stderr)
    const cli = JSON.parse(r.stdout) as ResultDoc
    return { cli, api: await run(options) }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

const SMALL = { flags: ['-w', '2', '-c', '4', '-d', '0.5', '--warmup', '0', '--trials', '1', '--pause', '0'], options: { workers: 2, connections: 4, durationSec: 0.5, warmupSec: 0, trials: 1, pauseSec: 0 } }

test('a plan with its load generator in a client namespace: the CLI and the API record the same document', { timeout: 180_000 }, async () => {
  const { cli, api } = await both([...SMALL.flags, '--modes', 'reuseport,shared', '--client-netns'], { ...SMALL.options, modes: ['reuseport', 'shared'], clientNetns: true })
  assertSameShape(cli, api)
  // Both took the namespace path (or both skipped it, with the same reason).
  assert.equal(cli.runs[0]?.clientHost !== undefined, api.runs[0]?.clientHost !== undefined)
  assert.deepEqual(cli.skipped, api.skipped)
})

test('a rolling restart: the CLI and the API both run (or both skip) the tcp_migrate_req variant and record the same document', { timeout: 180_000 }, async () => {
  // One reuseport mode: the main cell and its variant on each side.
  const { cli, api } = await both([...SMALL.flags, '--modes', 'reuseport', '--scenario', 'restart'], { ...SMALL.options, modes: ['reuseport'], scenario: 'restart' })
  assertSameShape(cli, api)
  const variants = (d: ResultDoc): string[] => d.runs.map(r => `${r.mode}/${r.variant ?? 'main'}`)
  assert.deepEqual(variants(cli), variants(api))
  assert.ok(variants(api).length >= 2, variants(api).join(', '))
})
