/**
 * The command line: parses flags (yargs), turns them into a plan, runs it and
 * prints. Bad input is one line on stderr and exit code 2; a failed run exit 1;
 * an interrupted one 130. Never a stack trace (set RB_DEBUG=1 to see one).
 */
import { isIP } from 'node:net'
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { hostFacts } from './collect/host.js'
import { HarnessError, InterruptedError, messageOf, RunError, UsageError } from './errors.js'
import { capabilities } from './native/index.js'
import { buildPlan, DEFAULT_PLAN, integer, LIMITS, parseModes, parseThreshold } from './plan.js'
import { checkThresholds } from './analyse/thresholds.js'
import { analyseSweep } from './analyse/sweep.js'
import { restartShape, stallShape } from './analyse/verdict.js'
import { formatSweep } from './report/terminal.js'
import type { RunPlan } from './plan.js'
import { MODES } from './protocol.js'
import type { Mode } from './protocol.js'
import { formatComparison, formatModeRun, formatSnapshots } from './report/terminal.js'
import { buildResult, saveDoc, stamp, writeFileAtomic } from './report/result.js'
import { writeArtifacts } from './report/artifacts.js'
import { renderCompare } from './report/html/compare.js'
import { loadProbe, loadResult } from './report/load.js'
import path from 'node:path'
import { formatProbe } from './report/probeTable.js'
import { runProbe } from './probe/index.js'
import { runPlan } from './run.js'
import type { ModeRun } from './run.js'
import { assertLocalAddress, assertPortFree, loadTarget } from './topology/address.js'
import { ListenerGroup } from './topology/group.js'
import { reuseChoice } from './topology/options.js'
import { inOwnNetns, netnsUnavailable, prepareNetns, runInNetns } from './topology/netns.js'
import { createClientTopology, removeClientTopology } from './topology/clientns.js'
import { CLIENT_ADDRS_ENV, CLIENT_NETNS_ENV, clientNetns } from './load/remote.js'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { ResultDoc } from './report/result.js'

function fail (err: unknown): never {
  if (process.env.RB_DEBUG !== undefined && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`)
  const code = err instanceof HarnessError ? err.exitCode : 1
  process.stderr.write(`reuseport-bench: ${messageOf(err)}\n`)
  process.exit(code)
}

/** Checks that this OS can do what the modes need, from the addon's capabilities. */
function assertSupported (modes: readonly Mode[]): void {
  const caps = capabilities()
  for (const m of modes) reuseChoice(m, caps)
}

/** An AbortController fired by the first SIGINT/SIGTERM; a second one exits at once. */
function interrupts (say: (s: string) => void): AbortController {
  const ac = new AbortController()
  const on = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) process.exit(130)
    say(`\n${sig}: stopping listeners...`)
    ac.abort(sig)
    setTimeout(() => { process.stderr.write('reuseport-bench: did not stop in time; killed listeners\n'); process.exit(130) }, 3000).unref()
  }
  process.on('SIGINT', on)
  process.on('SIGTERM', on)
  return ac
}

function progressPrinter (quiet: boolean): (line: string, transient?: boolean) => void {
  const tty = process.stderr.isTTY === true
  let pending = false
  return (line, transient = false) => {
    if (quiet) return
    if (transient) {
      if (!tty) return
      process.stderr.write(`\r\x1b[K${line}`)
      pending = true
      return
    }
    if (pending) process.stderr.write('\r\x1b[K')
    pending = false
    process.stderr.write(line + '\n')
  }
}

function commandLine (): string {
  return ['reuseport-bench', ...process.argv.slice(2)].map(a => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`).join(' ')
}

interface RunArgs {
  modes: string, workers: string, connections: string, duration: string, warmup: string, churn?: string, rate: string,
  host: string, port: string, backlog: string, pause: string, out: string, label: string, json: boolean, instrument: boolean, probe: boolean,
  'client-netns'?: boolean, 'client-addrs': string,
  scenario?: string, 'work-us': string, stall?: string, steer?: string, restart?: boolean, 'restart-busy-ms'?: string, trials: string, seed: string, 'fail-if'?: string[]
}

/** Named scenarios: presets for options the user did not set. */
const SCENARIOS: Record<string, { description: string, apply: (a: RunArgs) => void }> = {
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

async function cmdRun (a: RunArgs): Promise<void> {
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

/** Removes the options that the parent handles from this invocation's arguments. */
function childArgs (drop: readonly string[], dropBool: readonly string[]): string[] {
  const out: string[] = []
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    const name = a.replace(/^--(no-)?/, '').split('=')[0] ?? ''
    if (a.startsWith('--') && dropBool.includes(name)) continue
    if (a.startsWith('--') && drop.includes(name)) {
      if (!a.includes('=')) i++
      continue
    }
    out.push(a)
  }
  return out
}

/**
 * The whole plan with the listeners in one network namespace and the load
 * generator in another, joined by a veth pair: re-runs this command inside
 * the server namespace and returns its runs.
 */
async function runsWithClientHost (clientAddrs: number, quiet: boolean, signal: AbortSignal): Promise<ModeRun[]> {
  const topo = createClientTopology(clientAddrs)
  const cleanup = (): void => removeClientTopology(topo)
  process.once('exit', cleanup)
  const out = mkdtempSync(path.join(tmpdir(), 'rb-client-host-'))
  try {
    const args = [...childArgs(['out', 'host', 'client-addrs', 'port'], ['client-netns', 'json', 'probe']), '--host', topo.serverAddress, '--json', '--out', out]
    const child = spawn('ip', ['netns', 'exec', topo.serverNs, process.execPath, fileURLToPath(new URL('../../bin/reuseport-bench.js', import.meta.url)), ...args], {
      env: { ...process.env, [CLIENT_NETNS_ENV]: topo.clientNs, [CLIENT_ADDRS_ENV]: topo.clientAddresses.join(',') },
      stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit']
    })
    const onAbort = (): void => { child.kill('SIGTERM') }
    signal.addEventListener('abort', onAbort, { once: true })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    const code = await new Promise<number | null>(resolve => child.on('close', c => resolve(c)))
    signal.removeEventListener('abort', onAbort)
    if (signal.aborted) throw new InterruptedError(String(signal.reason ?? 'signal'))
    if (code !== 0) throw new RunError('RB_LOAD_FAILED', `the run in network namespace ${topo.serverNs} failed (exit ${String(code)}; its message is above)`)
    const doc = JSON.parse(stdout) as ResultDoc
    return doc.runs.map(r => ({ ...r, clientHost: { clientNs: topo.clientNs, serverNs: topo.serverNs, serverAddress: topo.serverAddress, clientAddresses: topo.clientAddresses } }))
  } finally {
    rmSync(out, { recursive: true, force: true })
    cleanup()
    process.removeListener('exit', cleanup)
  }
}

interface ReportArgs { result: string, probe?: string, out?: string }

async function cmdReport (a: ReportArgs): Promise<void> {
  const doc = loadResult(a.result)
  const probe = a.probe === undefined ? undefined : loadProbe(a.probe)
  const out = a.out ?? path.join(path.dirname(a.result), 'report.html')
  const files = writeArtifacts(path.dirname(out), doc, probe, out)
  process.stdout.write(files.map(f => `wrote ${f}`).join('\n') + '\n')
}

interface CompareArgs { results: string[], names?: string, out?: string }

async function cmdCompare (a: CompareArgs): Promise<void> {
  if (a.results.length < 2) throw new UsageError('compare needs at least two result files')
  const docs = a.results.map(loadResult)
  const names = a.names === undefined ? [] : a.names.split(',').map(x => x.trim())
  if (a.names !== undefined && names.length !== docs.length) throw new UsageError(`--names has ${names.length} names for ${docs.length} results`)
  const named = docs.map((doc, i) => ({ name: names[i] ?? (doc.label !== '' ? doc.label : `${doc.host.platform} #${i + 1}`), doc }))
  const out = a.out ?? path.join('reports', `compare-${stamp(new Date())}`, 'compare.html')
  writeFileAtomic(out, renderCompare(named))
  process.stdout.write(`wrote ${out}\n`)
}

interface ServeArgs { mode: string, workers: string, host: string, port: string, backlog: string, json: boolean }

async function cmdServe (a: ServeArgs): Promise<void> {
  if (!(MODES as readonly string[]).includes(a.mode)) throw new UsageError(`unknown mode '${a.mode}'; known modes: ${MODES.join(', ')}`)
  const mode = a.mode as Mode
  const workers = integer('workers', a.workers, 1, LIMITS.workers)
  const port = integer('port', a.port, 0, 65535)
  const backlog = integer('backlog', a.backlog, 1, LIMITS.backlog)
  assertSupported([mode])
  assertLocalAddress(a.host)
  assertPortFree(a.host, port)
  const group = await ListenerGroup.start({ mode, workers, host: a.host, port, backlog, instrument: true })
  const say = (s: string): void => { if (!a.json) process.stderr.write(s + '\n') }
  say(`serving ${mode} with ${group.workers} listener process${group.workers === 1 ? '' : 'es'} on ${a.host}:${group.port} (pids ${[...group.pids.values()].join(', ')}); Ctrl-C to stop`)
  const done = new Promise<string>((resolve, reject) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
    group.onDeath(reject)
  })
  let sig: string
  try {
    sig = await done
  } catch (err) {
    await group.kill()
    throw err
  }
  say(`\n${sig}: stopping`)
  const snaps = await group.stop()
  if (snaps === undefined) throw new HarnessError('RB_LISTENER_TIMEOUT', 'listeners did not report their final stats', 1)
  if (a.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, mode, port: group.port, listeners: snaps.map(s => ({ index: s.index, pid: s.pid, accepts: s.stats.accepts, requests: s.stats.requests, errors: s.stats.errors })) }, null, 2) + '\n')
  } else {
    process.stdout.write(formatSnapshots(mode, snaps) + '\n')
  }
}

interface ProbeArgs { ip: string, ip6: string, port: string, modes: string, workers: string, sequence: string, spread: string, out: string, json: boolean }

async function cmdProbe (a: ProbeArgs): Promise<void> {
  if (isIP(a.ip) !== 4 || a.ip === '0.0.0.0') throw new UsageError(`--ip must be a specific IPv4 address of this machine, got '${a.ip}'`)
  assertLocalAddress(a.ip)
  let ip6 = a.ip6
  if (ip6 !== '') {
    if (isIP(ip6) !== 6 || ip6 === '::') throw new UsageError(`--ip6 must be a specific IPv6 address of this machine (or '' to skip), got '${ip6}'`)
    try {
      assertLocalAddress(ip6)
    } catch (err) {
      if (a.ip6 !== PROBE_IP6) throw err
      ip6 = '' // the default ::1 is missing: the IPv6 rows are skipped, with the reason
    }
  }
  const port = integer('port', a.port, 0, 65535)
  if (port !== 0 && port < 1024 && process.getuid?.() !== 0) throw new UsageError(`--port ${port} is privileged; run as root or pick a port above 1023`)
  const modes = parseModes(a.modes)
  assertSupported(modes)
  const say = progressPrinter(a.json)
  interrupts(say)
  const doc = await runProbe({
    ip: a.ip, ip6, port, modes,
    workers: integer('workers', a.workers, 1, 64),
    sequence: integer('sequence', a.sequence, 0, 10_000),
    spread: integer('spread', a.spread, 0, 10_000),
    progress: say
  }, commandLine())
  const file = saveDoc(a.out, doc, new Date(doc.createdAt), 'probe.json', 'latest-probe')
  if (a.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
    return
  }
  process.stdout.write(formatProbe(doc, process.stdout.isTTY === true) + '\n\n')
  process.stdout.write(`probe: ${file}\n`)
}

const PROBE_IP6 = '::1'
const PROBE_DEFAULTS = { ip: '127.0.0.2', port: 0, workers: 3, sequence: 6, spread: 60 }

/** ::1 when this host has IPv6 loopback, '' (IPv6 rows skipped, with the reason) otherwise. */
function defaultIp6 (): string {
  try {
    assertLocalAddress(PROBE_IP6)
    return PROBE_IP6
  } catch {
    return ''
  }
}

const num = (description: string, def: number): { type: 'string', description: string, default: string } =>
  ({ type: 'string', description, default: String(def) })

function handler<T> (fn: (a: T) => Promise<void>): (a: unknown) => Promise<void> {
  return async (a: unknown) => {
    try {
      await fn(a as T)
      process.exit(0)
    } catch (err) {
      fail(err)
    }
  }
}

const d = DEFAULT_PLAN
await yargs(hideBin(process.argv))
  .scriptName('reuseport-bench')
  .usage('$0 <command> [options]\n\nHow evenly does the kernel spread TCP connections over processes sharing one port, and what does each way of sharing cost?')
  .command('run', 'start listeners in each mode, load them with autocannon, print per-process counts and a comparison, write reports/<timestamp>/result.json', y => y
    .option('modes', { type: 'string', default: d.modes.join(','), description: `comma-separated modes: ${MODES.join(', ')} (reuseport: one SO_REUSEPORT socket per process, SO_REUSEPORT_LB where plain SO_REUSEPORT does not balance; reuseport-plain: plain SO_REUSEPORT everywhere; shared: one socket inherited by all; cluster: Node cluster round-robin; single: one process)` })
    .option('workers', num('listener processes per mode; a list (1,2,4,8) makes a sweep', d.workers))
    .option('connections', num('concurrent client connections; a list (10,100,1000) makes a sweep', d.connections))
    .option('duration', num('seconds of measured load per mode', d.durationSec))
    .option('warmup', num('seconds of load before each measurement, not counted', d.warmupSec))
    .option('churn', { type: 'string', description: 'open a new connection every N requests (0 = keep-alive) [default: 0]' })
    .option('rate', num('fixed total requests per second (0 = as fast as possible)', d.rate))
    .option('host', { type: 'string', default: d.host, description: 'address the listeners bind (must be on this machine; 0.0.0.0 and :: are loaded through loopback)' })
    .option('port', num('port to share (0 = pick a free one)', d.port))
    .option('backlog', num('listen() backlog', d.backlog))
    .option('pause', num('seconds between modes', d.pauseSec))
    .option('instrument', { type: 'boolean', default: true, description: 'count and time requests in listeners (--no-instrument to measure its cost)' })
    .option('out', { type: 'string', default: 'reports', description: 'folder for results: <out>/<timestamp>/result.json and <out>/latest' })
    .option('label', { type: 'string', default: '', description: 'a name for this run, kept in the result' })
    .option('json', { type: 'boolean', default: false, description: 'print the result JSON on stdout and nothing else' })
    .option('probe', { type: 'boolean', default: false, description: 'also run the bind/listen probe and include it in the result and report' })
    .option('scenario', { type: 'string', description: `a named scenario: ${Object.entries(SCENARIOS).map(([k, v]) => `${k} (${v.description})`).join('; ')}` })
    .option('work-us', num('busy CPU work per request in every listener, microseconds', 0))
    .option('stall', { type: 'string', description: 'INDEX:FOR_MS:EVERY_MS - listener INDEX blocks its event loop FOR_MS every EVERY_MS (e.g. 0:100:500)' })
    .option('steer', { type: 'string', description: 'steer connections within a reuseport group with classic BPF: cpu (by receiving CPU) or first (all to the first socket); default: the kernel hash' })
    .option('restart', { type: 'boolean', description: 'replace every listener once, one at a time, during the load (a rolling restart)' })
    .option('restart-busy-ms', { type: 'string', description: 'in a restart, keep each old listener busy this long before it closes, as a loaded process would be [default: 0]' })
    .option('trials', num('runs of each grid cell; with more than one run per mode the order is shuffled', 1))
    .option('seed', num('seed for the shuffled order of runs', 1))
    .option('client-netns', { type: 'boolean', description: 'root, Linux: run the load generator in a network namespace of its own, joined to the listeners\' namespace by a veth pair (skipped with the reason otherwise)' })
    .option('client-addrs', num('with --client-netns: client addresses that new connections take in turn', 1))
    .option('fail-if', { type: 'string', array: true, description: 'exit 1 when a run crosses a threshold: jain<0.9, p99>50ms, busiest>50%, rps<1000, errors>0 (repeatable)' })
    .example('$0 run --workers 4 --connections 50 --duration 5', 'the default three modes')
    .example('$0 run --modes reuseport,shared --churn 10', 'a new connection every 10 requests'),
  handler<RunArgs>(cmdRun))
  .command('serve', 'start listeners and keep them up for any load generator (wrk, k6, h2load); Ctrl-C prints per-process stats', y => y
    .option('mode', { type: 'string', default: 'reuseport', description: `one of ${MODES.join(', ')}` })
    .option('workers', num('listener processes', d.workers))
    .option('host', { type: 'string', default: d.host, description: 'address to bind' })
    .option('port', num('port (0 = pick a free one)', 8080))
    .option('backlog', num('listen() backlog', d.backlog))
    .option('json', { type: 'boolean', default: false, description: 'print the final stats as JSON' }),
  handler<ServeArgs>(cmdServe))
  .command('probe', "reproduce the source article's SO_REUSEADDR x SO_REUSEPORT bind/listen matrix on this host, compare it with the article's table, add extra rows, and show which listener accepts sequential connections in each mode", y => y
    .option('ip', { type: 'string', default: '127.0.0.2', description: "a specific IPv4 address of this machine (the article's 172.22.147.210); on Linux all of 127.0.0.0/8 is local" })
    .option('ip6', { type: 'string', default: PROBE_IP6, description: "an IPv6 address of this machine for the IPv6 rows ('' skips them)" })
    .option('port', num('a fixed port for the matrix cells (0 = a free port per cell)', 0))
    .option('modes', { type: 'string', default: MODES.join(','), description: 'modes for the accept-order probe' })
    .option('workers', num('listeners in the accept-order probe', 3))
    .option('sequence', num('sequential connections whose order is shown', 6))
    .option('spread', num('sequential connections counted per listener', 60))
    .option('out', { type: 'string', default: 'reports', description: 'folder for <out>/<timestamp>/probe.json and <out>/latest-probe' })
    .option('json', { type: 'boolean', default: false, description: 'print the probe JSON on stdout and nothing else' }),
  handler<ProbeArgs>(cmdProbe))
  .command('report <result>', 'write the self-contained HTML report (plus .hgrm histograms and a CSV of counts) for a result.json', y => y
    .positional('result', { type: 'string', demandOption: true, description: 'a result.json written by run' })
    .option('probe', { type: 'string', description: 'a probe.json to include' })
    .option('out', { type: 'string', description: 'the HTML file to write (default: report.html beside the result)' }),
  handler<ReportArgs>(cmdReport))
  .command('compare <results..>', 'put two or more results side by side (e.g. Linux vs FreeBSD) in one HTML page', y => y
    .positional('results', { type: 'string', array: true, demandOption: true, description: 'result.json files' })
    .option('names', { type: 'string', description: 'comma-separated names for the results, in order' })
    .option('out', { type: 'string', description: 'the HTML file to write (default: reports/compare-<timestamp>/compare.html)' }),
  handler<CompareArgs>(cmdCompare))
  .demandCommand(1, 'name a command: run, serve, probe, report or compare (see --help)')
  .strict()
  .help()
  .alias('help', 'h')
  .version()
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .fail((msg, err) => {
    if (err !== undefined && err !== null) fail(err)
    process.stderr.write(`reuseport-bench: ${msg}\n`)
    process.exit(2)
  })
  .parseAsync()
