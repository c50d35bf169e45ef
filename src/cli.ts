/**
 * The command line: parses flags (yargs), turns them into a plan, runs it and
 * prints. Bad input is one line on stderr and exit code 2; a failed run exit 1;
 * an interrupted one 130. Never a stack trace (set RB_DEBUG=1 to see one).
 */
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { HarnessError, messageOf, UsageError } from './errors.js'
import { DEFAULT_PLAN } from './plan.js'
import { MODES } from './protocol.js'
import { SCENARIOS, cmdRun } from './commands/run.js'
import type { RunArgs } from './commands/run.js'
import { cmdCompare, cmdReport } from './commands/report.js'
import type { CompareArgs, ReportArgs } from './commands/report.js'
import { cmdServe } from './commands/serve.js'
import type { ServeArgs } from './commands/serve.js'
import { PROBE_IP6, cmdProbe } from './commands/probe.js'
import type { ProbeArgs } from './commands/probe.js'

function fail (err: unknown): never {
  if (process.env.RB_DEBUG !== undefined && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`)
  const code = err instanceof HarnessError ? err.exitCode : 1
  process.stderr.write(`reuseport-bench: ${messageOf(err)}\n`)
  process.exit(code)
}

const num = (description: string, def: number): { type: 'string', description: string, default: string } =>
  ({ type: 'string', description, default: String(def) })

/** Options that may be given more than once; any other one repeated is refused (yargs would turn it into a list). */
const REPEATABLE = new Set(['fail-if', 'failIf', 'results', '_', '$0'])

function onceEach (argv: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(argv)) {
    if (Array.isArray(v) && !REPEATABLE.has(k) && !/[A-Z]/.test(k)) throw new UsageError(`--${k} was given ${v.length} times; give it once`)
  }
}

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
    .option('host', { type: 'string', description: `address the listeners bind (must be on this machine; 0.0.0.0 and :: are loaded through loopback) [default: ${d.host}]` })
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
    .option('client-addrs', { type: 'string', description: 'with --client-netns: client addresses that new connections take in turn [default: 1]' })
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
  .middleware(argv => {
    try {
      onceEach(argv as Record<string, unknown>)
    } catch (err) {
      fail(err) // yargs would let a middleware's error escape with its stack
    }
  })
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
