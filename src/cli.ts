/**
 * The command line: parses flags (yargs), turns them into a plan, runs it and
 * prints. Bad input is one line on stderr and exit code 2; a failed run exit 1;
 * an interrupted one 130. Never a stack trace (set RB_DEBUG=1 to see one).
 */
import { isIP } from 'node:net'
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { hostFacts } from './collect/host.js'
import { HarnessError, messageOf, UsageError } from './errors.js'
import { capabilities } from './native/index.js'
import { buildPlan, DEFAULT_PLAN, integer, LIMITS, parseModes } from './plan.js'
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
  modes: string, workers: string, connections: string, duration: string, warmup: string, churn: string, rate: string,
  host: string, port: string, backlog: string, pause: string, out: string, label: string, json: boolean, instrument: boolean, probe: boolean
}

async function cmdRun (a: RunArgs): Promise<void> {
  const plan: RunPlan = buildPlan({
    modes: a.modes, workers: a.workers, connections: a.connections, durationSec: a.duration, warmupSec: a.warmup, churn: a.churn,
    rate: a.rate, host: a.host, port: a.port, backlog: a.backlog, pauseSec: a.pause, instrument: a.instrument, label: a.label
  })
  assertSupported(plan.modes)
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
  try {
    runs = await runPlan(plan, { signal: ac.signal, progress: say, onRun: r => completed.push(r) })
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
  const doc = buildResult(plan, host, runs, commandLine(), createdAt)
  if (probe !== undefined) doc.probe = probe
  const file = saveDoc(a.out, doc, createdAt)
  writeArtifacts(path.dirname(file), doc)
  if (a.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
    return
  }
  process.stdout.write(runs.map(formatModeRun).join('\n\n') + '\n\n' + formatComparison(runs, doc.comparison) + '\n\n')
  if (probe !== undefined) process.stdout.write(formatProbe(probe, process.stdout.isTTY === true) + '\n\n')
  process.stdout.write(`result: ${file}\nreport: ${path.join(path.dirname(file), 'report.html')}\n`)
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
    .option('workers', num('listener processes per mode', d.workers))
    .option('connections', num('concurrent client connections', d.connections))
    .option('duration', num('seconds of measured load per mode', d.durationSec))
    .option('warmup', num('seconds of load before each measurement, not counted', d.warmupSec))
    .option('churn', num('open a new connection every N requests (0 = keep-alive)', d.churn))
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
