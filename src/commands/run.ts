/**
 * `run`: plan -> runs (in this namespace, or with the client host in its own) -> result, report, verdicts, --fail-if.
 */
import { hostFacts } from '../collect/host.js'
import { HarnessError, messageOf, UsageError } from '../errors.js'
import { capabilities } from '../native/index.js'
import { buildPlan, integer, parseThreshold } from '../plan.js'
import { checkThresholds } from '../analyse/thresholds.js'
import { analyseSweep } from '../analyse/sweep.js'
import { restartShape, stallShape } from '../analyse/verdict.js'
import { formatSweep } from '../report/terminal.js'
import type { RunPlan } from '../plan.js'
import { formatComparison, formatModeRun } from '../report/terminal.js'
import { buildResult, saveDoc } from '../report/result.js'
import { writeArtifacts } from '../report/artifacts.js'
import path from 'node:path'
import { formatProbe } from '../report/probeTable.js'
import { runProbe } from '../probe/index.js'
import { runPlan } from '../run.js'
import type { ModeRun } from '../run.js'
import { assertLocalAddress, assertPortFree, loadTarget } from '../topology/address.js'
import { inOwnNetns, netnsUnavailable, prepareNetns, runInNetns } from '../topology/netns.js'
import { clientNetns } from '../load/remote.js'
import { assertSupported, commandLine, interrupts, progressPrinter } from './common.js'
import { runsWithClientHost } from './clientHost.js'
import { PROBE_DEFAULTS, defaultIp6 } from './probe.js'

export interface RunArgs {
  modes: string, workers: string, connections: string, duration: string, warmup: string, churn?: string, rate: string,
  host: string, port: string, backlog: string, pause: string, out: string, label: string, json: boolean, instrument: boolean, probe: boolean,
  'client-netns'?: boolean, 'client-addrs': string,
  scenario?: string, 'work-us': string, stall?: string, steer?: string, restart?: boolean, 'restart-busy-ms'?: string, trials: string, seed: string, 'fail-if'?: string[]
}

/** Named scenarios: presets for options the user did not set. */
export const SCENARIOS: Record<string, { description: string, apply: (a: RunArgs) => void }> = {
  stall: {
    description: 'listener 0 blocks its event loop 100 ms every 500 ms; a new connection per request (as in the published experiment)',
    apply: a => { a.stall ??= '0:100:500'; a.churn ??= '1' }
  },
  work: {
    description: '200 us of CPU work per request in every listener',
    apply: a => { if (a['work-us'] === '0') a['work-us'] = '200' }
  },
  restart: {
    description: 'replace every listener once, one at a time, during the load (a deploy); each old listener is busy 50 ms before it closes; a new connection per request; on Linux as root also repeated with net.ipv4.tcp_migrate_req=1 in a network namespace of its own',
    apply: a => { a.restart ??= true; a.churn ??= '1'; a['restart-busy-ms'] ??= '50' }
  },
  steer: {
    description: 'steer connections within the reuseport group by receiving CPU with a classic BPF program',
    apply: a => { a.steer ??= 'cpu' }
  }
}

export async function cmdRun (a: RunArgs): Promise<void> {
  if (a.scenario !== undefined) {
    const sc = SCENARIOS[a.scenario]
    if (sc === undefined) throw new UsageError(`unknown scenario '${a.scenario}'; known: ${Object.keys(SCENARIOS).join(', ')}`)
    sc.apply(a)
  }
  const plan: RunPlan = buildPlan({
    modes: a.modes, workers: a.workers, connections: a.connections, durationSec: a.duration, warmupSec: a.warmup, churn: a.churn ?? '0',
    rate: a.rate, host: a.host, port: a.port, backlog: a.backlog, pauseSec: a.pause, instrument: a.instrument, label: a.label,
    workUs: a['work-us'], stall: a.stall, steer: a.steer ?? 'none', restart: a.restart === true, restartBusyMs: a['restart-busy-ms'] ?? '0', trials: a.trials, seed: a.seed, failIf: a['fail-if']
  })
  prepareNetns()
  assertSupported(plan.modes)
  if (plan.steer !== 'none' && !capabilities().SO_ATTACH_REUSEPORT_CBPF) throw new UsageError('--steer needs SO_ATTACH_REUSEPORT_CBPF (Linux 4.6+), which this OS does not define', 'RB_UNSUPPORTED')
  if (plan.steer !== 'none' && !plan.modes.some(m => m === 'reuseport' || m === 'reuseport-plain')) throw new UsageError('--steer applies to reuseport modes only; add reuseport to --modes')
  assertLocalAddress(plan.host)
  assertPortFree(plan.host, plan.port)
  const say = progressPrinter(a.json)
  const ac = interrupts(say)
  const host = hostFacts()
  const createdAt = new Date()
  say(`reuseport-bench: ${plan.modes.join(', ')} on ${plan.host}${plan.port === 0 ? '' : `:${plan.port}`} (load to ${loadTarget(plan.host)}), ${host.cpus} CPUs, ${host.platform} ${host.release}`)
  const probe = a.probe ? await runProbe({ ...PROBE_DEFAULTS, ip6: defaultIp6(), modes: plan.modes, progress: say }, commandLine()) : undefined
  const completed: ModeRun[] = []
  let runs: ModeRun[]
  const skipped: Array<{ what: string, reason: string }> = []
  try {
    const why = a['client-netns'] === true && clientNetns() === undefined ? netnsUnavailable() : undefined
    if (why !== undefined) {
      skipped.push({ what: 'separate client host (--client-netns)', reason: why })
      say(`skipped: separate client host: ${why}; running with the client on loopback instead`)
    }
    runs = a['client-netns'] === true && clientNetns() === undefined && why === undefined
      ? await runsWithClientHost(integer('client-addrs', a['client-addrs'], 1, 32), a.json, ac.signal)
      : await runPlan(plan, { signal: ac.signal, progress: say, onRun: r => completed.push(r) })
  } catch (err) {
    // Keep what finished, marked partial, in its own folder; `latest` keeps pointing at the last complete result.
    if (completed.length > 0) {
      const partial = buildResult(plan, host, completed, commandLine(), createdAt)
      partial.status = 'partial'
      partial.failure = { code: err instanceof HarnessError ? err.code : 'RB_ERROR', message: messageOf(err) }
      const file = saveDoc(a.out, partial, createdAt, 'result.json', null)
      say(`partial result (${completed.length} of ${plan.modes.length} modes) written to ${file}`)
    } else {
      say('no mode completed; no result written')
    }
    throw err
  }
  if (plan.restart && !inOwnNetns() && clientNetns() === undefined && a['client-netns'] !== true) await migrateVariant(plan, runs, skipped, say)
  const doc = buildResult(plan, host, runs, commandLine(), createdAt)
  if (skipped.length > 0) doc.skipped = skipped
  if (probe !== undefined) doc.probe = probe
  const gridRuns = runs.filter(r => r.variant === undefined)
  if (gridRuns.length > plan.modes.length) {
    say(`analysing ${gridRuns.length} runs (bootstrap intervals, on a piscina pool)`)
    doc.sweep = await analyseSweep(gridRuns, plan.seed)
  }
  const file = saveDoc(a.out, doc, createdAt)
  writeArtifacts(path.dirname(file), doc)
  const violations = checkThresholds(plan.failIf.map(parseThreshold), runs)
  if (a.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
  } else {
    process.stdout.write(runs.map(formatModeRun).join('\n\n') + '\n\n' + formatComparison(runs, doc.comparison) + '\n\n')
    if (doc.sweep !== undefined) process.stdout.write(formatSweep(doc.sweep) + '\n\n')
    for (const line of [stallShape(runs), restartShape(runs)]) if (line !== undefined) process.stdout.write(line + '\n\n')
    for (const k of doc.skipped ?? []) process.stdout.write(`not run: ${k.what}: ${k.reason}\n`)
  }
  if (violations.length > 0) {
    process.stderr.write(violations.map(v => `fail-if: ${v}`).join('\n') + '\n')
    throw new HarnessError('RB_THRESHOLD', `${violations.length} --fail-if threshold${violations.length === 1 ? '' : 's'} crossed (result written to ${file})`, 1)
  }
  if (a.json) return
  if (probe !== undefined) process.stdout.write(formatProbe(probe, process.stdout.isTTY === true) + '\n\n')
  process.stdout.write(`result: ${file}\nreport: ${path.join(path.dirname(file), 'report.html')}\n`)
}

/**
 * The rolling restart again for the reuseport modes, with net.ipv4.tcp_migrate_req=1
 * set only inside a network namespace made for it; skipped with the reason where that cannot be done.
 */
async function migrateVariant (plan: RunPlan, runs: ModeRun[], skipped: Array<{ what: string, reason: string }>, say: (s: string) => void): Promise<void> {
  const what = 'rolling restart with net.ipv4.tcp_migrate_req=1'
  const modes = plan.modes.filter(m => m === 'reuseport' || m === 'reuseport-plain')
  const why = modes.length === 0 ? 'no reuseport mode in --modes' : !plan.host.startsWith('127.') ? `the namespace has only loopback, and --host is ${plan.host}` : netnsUnavailable()
  if (why !== undefined) {
    skipped.push({ what, reason: why })
    say(`skipped: ${what}: ${why}`)
    return
  }
  say(`${what}: repeating ${modes.join(', ')} in a network namespace of its own`)
  const args = ['--modes', modes.join(','), '--workers', plan.sweep.workers.join(','), '--connections', plan.sweep.connections.join(','),
    '--duration', String(plan.durationSec), '--warmup', String(plan.warmupSec), '--churn', String(plan.churn), '--rate', String(plan.rate),
    '--pause', String(plan.pauseSec), '--restart', '--restart-busy-ms', String(plan.restartBusyMs), '--trials', String(plan.trials), '--seed', String(plan.seed),
    '--work-us', String(plan.workUs), '--host', '127.0.0.1', '--label', plan.label]
  try {
    const child = await runInNetns(args, { 'net.ipv4.tcp_migrate_req': '1' })
    for (const r of child.runs) runs.push({ ...r, variant: 'tcp_migrate_req=1 (own netns)' })
  } catch (err) {
    skipped.push({ what, reason: messageOf(err) })
    say(`skipped: ${what}: ${messageOf(err)}`)
  }
}
