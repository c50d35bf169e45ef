/**
 * The command line: parses flags (yargs), turns them into a plan, runs it and
 * prints. Bad input is one line on stderr and exit code 2; a failed run exit 1;
 * an interrupted one 130. Never a stack trace (set RB_DEBUG=1 to see one).
 */
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { HarnessError, messageOf, UsageError } from '../errors.js'
import { err, exitAfterOutput } from './output.js'
import { DEFAULT_PLAN } from '../plan/validate.js'
import { runOptionGroups, runYargsOptions } from '../plan/options.js'
import { exporterOptions } from '../store/exporters.js'
import { withSuggestions } from './suggest.js'
import type { RunArgs } from './run.js'
import type { CompareArgs, ReportArgs } from './report.js'
import type { ServeArgs } from './serve.js'
import { PROBE_IP6 } from '../probe/defaults.js'
import type { LoadArgs } from './load.js'
import type { ProbeArgs } from './probe.js'
import { DEFAULT_SERVE_MODE, MODES } from '../topology/kinds/index.js'
import { holdTickShape } from '../proc/tickShape.js'
import { toolVersion } from '../version.js'
import type { ReproduceArgs } from './reproduce.js'

/** The one line for an error, then the exit (2 bad input, 1 a failed run, or the error's own code) once all output is out. */
async function fail (e: unknown): Promise<never> {
  if (process.env.RB_DEBUG !== undefined && e instanceof Error) err(`${e.stack ?? ''}\n`)
  const code = e instanceof HarnessError ? e.exitCode : 1
  err(`reuseport-bench: ${messageOf(e)}\n`)
  return await exitAfterOutput(code)
}

const num = (description: string, def: number): { type: 'string', description: string, default: string } =>
  ({ type: 'string', description, default: String(def) })

/** Options that may be given more than once; any other one repeated is refused (yargs would turn it into a list). */
const REPEATABLE = new Set(['fail-if', 'failIf', 'client-via', 'clientVia', 'results', 'studies', '_', '$0'])

function onceEach (argv: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(argv)) {
    if (Array.isArray(v) && !REPEATABLE.has(k) && !/[A-Z]/.test(k) && k.length > 1) throw new UsageError(`--${k} was given ${v.length} times; give it once`)
  }
}

type Command<T> = (a: T) => Promise<number | undefined | void>

/**
 * A command's handler: its own exit code (0 when it returns none), or its error's; either way only after all its
 * output is written. The command's module is loaded only when it runs (--help and a typo load none); a module that
 * cannot load is a failure to start, said by bin/ (too few open files), so it is not caught here.
 */
function handler<T> (load: () => Promise<Command<T>>): (a: unknown) => Promise<void> {
  return async (a: unknown) => {
    const fn = await load()
    let code: number
    try {
      code = (await fn(a as T)) ?? 0
    } catch (e) {
      return await fail(e)
    }
    await exitAfterOutput(code)
  }
}

const d = DEFAULT_PLAN
let knownFlags = (): string[] => []
const cli = yargs(hideBin(process.argv))
  .scriptName('reuseport-bench')
  .usage('$0 <command> [options]\n\nHow evenly does the kernel spread TCP connections over processes sharing one port, and what does each way of sharing cost?')
  .command('run', 'start listeners in each mode, load them with autocannon, print per-process counts and a comparison, write reports/<timestamp>/result.json', y => runOptionGroups(exporterOptions())
    .reduce((a, [keys, title]) => a.group(keys, title), y.options(runYargsOptions(exporterOptions())).usageConfiguration({ 'hide-types': true }))
    .epilog(`Modes (--modes): ${MODES.join(', ')} (each described in docs/commands.md#modes).\n\nUnits: [duration] 5s, 500ms, 2m; [count] 4 or 1k; [counts] a list makes a sweep (1,2,4); [rate] requests per second (2k); [share] 5%; [cpus] 0-1,3, all or auto.\n\nWhat each mode, driver and option does, at length: docs/commands.md`)
    .example('$0 run -w 4 -c 50 -d 5s', 'the default modes, 3 trials each')
    .example('$0 run --handler ./app.mjs -d 10s', 'your own handler (Express, plain http)')
    .example('$0 run --churn 1', 'a new connection per request')
    .example('$0 run -R 2k --fail-if p99>50ms', 'paced 2k req/s; exit 3 if p99 > 50 ms')
    .example('$0 run -w 1,2,4,8 --trials 5', 'a sweep of worker counts')
    .example("$0 run --server-via 'ssh srv' --client-via 'ssh c1' --target 192.0.2.10", 'listeners on srv, load from c1')
    .wrap(Math.min(100, process.stdout.columns ?? 100)),
  handler<RunArgs>(async () => (await import('./run.js')).cmdRun))
  .command('serve', 'start listeners and keep them up for any load generator (wrk, k6, h2load); Ctrl-C prints per-process stats and writes a result', y => y
    .example('$0 serve --mode cluster --port 8080 --listener-cpus 1', 'then: taskset -c 0 wrk -t1 -c50 -d10s http://127.0.0.1:8080/')
    .example('$0 serve --control stdio', 'the server host\'s side of run --server-via: control requests as JSON lines on stdin, answers on stdout')
    .option('control', { type: 'string', choices: ['stdio'], description: 'stdio: take control requests from a run on another host as JSON lines on stdin (what run --server-via starts through its transport); exits when stdin closes' })
    .example('$0 serve --protocol udp --mode reuseport --port 5300', 'then any UDP sender of datagrams of 8 bytes or more; each is answered with 10 bytes')
    .option('mode', { type: 'string', default: DEFAULT_SERVE_MODE, description: `one of ${MODES.join(', ')}` })
    .option('protocol', { type: 'string', choices: ['tcp', 'udp'], default: 'tcp', description: 'tcp (HTTP) or udp: each datagram of 8 bytes or more answered with its first 8 bytes and the listener\'s index' })
    .option('workers', { ...num('listener processes', d.workers), alias: 'w' })
    .option('host', { type: 'string', default: d.host, description: 'address to bind' })
    .option('port', num('port (0 = pick a free one)', 8080))
    .option('backlog', num('listen() backlog', d.backlog))
    .option('handler', { type: 'string', description: 'FILE: serve your own request handler instead of the fixed body (see run --help)' })
    .option('work-us', { type: 'string', description: 'busy CPU work per request in every listener, microseconds' })
    .option('stall', { type: 'string', description: 'INDEX:FOR_MS:EVERY_MS - listener INDEX blocks its event loop FOR_MS every EVERY_MS' })
    .option('out', { type: 'string', default: 'reports', description: 'folder for the result written when serve stops: <out>/serve-<timestamp>/result.json (report and compare take it)' })
    .option('attribution', { type: 'boolean', default: true, description: "the x-worker header on each connection's first response (--no-attribution: your responses exactly as your handler writes them)" })
    .option('listener-cpus', { type: 'string', default: 'all', description: 'CPUs of every listener process (and the cluster primary), e.g. 1-3; all = not pinned. Pin your load generator to the others (taskset -c 0 wrk ...)' })
    .option('json', { type: 'boolean', default: false, alias: 'j', description: 'print the final stats as JSON' }),
  handler<ServeArgs>(async () => (await import('./serve.js')).cmdServe))
  .command('load', "a client host's side of run --client-via: load requests as JSON lines on stdin, results on stdout; exits when stdin closes", y => y
    .option('control', { type: 'string', choices: ['stdio'], demandOption: true, description: 'stdio (the only control stream)' }),
  handler<LoadArgs>(async () => (await import('./load.js')).cmdLoad))
  .command('probe', "reproduce the source article's SO_REUSEADDR x SO_REUSEPORT bind/listen matrix on this host, compare it with the article's table, add extra rows, and show which listener accepts sequential connections in each mode", y => y
    .option('ip', { type: 'string', default: '127.0.0.2', description: "a specific IPv4 address of this machine (the article's 172.22.147.210); on Linux all of 127.0.0.0/8 is local" })
    .option('ip6', { type: 'string', default: PROBE_IP6, description: "an IPv6 address of this machine for the IPv6 rows ('' skips them)" })
    .option('port', num('a fixed port for the matrix cells (0 = a free port per cell)', 0))
    .option('modes', { type: 'string', default: MODES.join(','), description: 'modes for the accept-order probe' })
    .option('workers', num('listeners in the accept-order probe', 3))
    .option('sequence', num('sequential connections whose order is shown', 6))
    .option('spread', num('sequential connections counted per listener', 60))
    .option('deadline-scale', { type: 'string', default: '1', description: 'N: give the processes the probe starts N times their usual deadlines (a slow host, such as a guest under software emulation)' })
    .option('accept-styles', { type: 'string', default: 'blocking,epoll-exclusive', description: "Cloudflare's 2017 accept experiment with its own syscalls: --workers processes share one socket and wait in a blocking accept() (blocking) or in epoll with EPOLLEXCLUSIVE (epoll-exclusive, Linux 4.5+), --spread connections one at a time ('' skips it)" })
    .option('out', { type: 'string', default: 'reports', description: 'folder for <out>/<timestamp>/probe.json and <out>/latest-probe' })
    .option('json', { type: 'boolean', default: false, description: 'print the probe JSON on stdout and nothing else' }),
  handler<ProbeArgs>(async () => (await import('./probe.js')).cmdProbe))
  .command('report <result>', 'write the self-contained HTML report (plus .hgrm histograms and a CSV of counts) for a result.json', y => y
    .positional('result', { type: 'string', demandOption: true, description: 'a result.json written by run' })
    .option('probe', { type: 'string', description: 'a probe.json to include' })
    .option('out', { type: 'string', description: 'the HTML file to write (default: report.html beside the result)' }),
  handler<ReportArgs>(async () => (await import('./report.js')).cmdReport))
  .command('compare <results..>', 'put two or more results side by side (e.g. Linux vs FreeBSD) in one HTML page', y => y
    .positional('results', { type: 'string', array: true, demandOption: true, description: 'result.json files' })
    .option('names', { type: 'string', description: 'comma-separated names for the results, in order' })
    .option('out', { type: 'string', description: 'the HTML file to write, with its data as the same name .json beside it (default: reports/compare-<timestamp>/compare.html and compare.json)' })
    .option('allow-different-plans', { type: 'boolean', description: 'compare results whose plans differ in what is measured (churn, rate, scenario, instrumentation...); refused otherwise, and always flagged' }),
  handler<CompareArgs>(async () => (await import('./report.js')).cmdCompare))
  .command('reproduce [studies..]', 'run published studies of port sharing (Google, Node, Cloudflare, NGINX, libuv, egg, Envoy, the source article) on this host through the normal engine, and set each published figure beside ours with a finding: reproduced, contradicted, or inconclusive at this sample size', y => y
    .positional('studies', { type: 'string', array: true, description: 'study ids (see --list); none: every study' })
    .option('list', { type: 'boolean', default: false, description: 'list the studies, what each runs and its time here, and run nothing' })
    .option('quick', { type: 'boolean', default: false, description: 'a smaller version of each study (fewer, shorter rounds; what CI runs): wider intervals, so more findings stay inconclusive' })
    .option('catalogue', { type: 'string', description: 'DIR: read the studies from this folder of study files instead of the package\'s studies/ (one JSON file per study)' })
    .option('out', { type: 'string', default: 'reports', description: 'folder for <out>/reproduce-<timestamp>/ (each study\'s result, reproduce.json, reproduce.html) and <out>/latest-reproduce' })
    .option('json', { type: 'boolean', default: false, alias: 'j', description: 'print reproduce.json on stdout and nothing else' })
    .example('$0 reproduce --list', 'the studies and their time here')
    .example('$0 reproduce --quick google-lwn-542629 seed-article-matrix', 'two studies, quickly'),
  handler<ReproduceArgs>(async () => (await import('./reproduce.js')).cmdReproduce))
  .middleware(argv => { onceEach(argv as Record<string, unknown>) })
  .demandCommand(1, 'name a command: run, serve, probe, reproduce, report, compare or load (see --help)')
  .strict()
  .help()
  .alias('help', 'h')
  .version(toolVersion())
  .exitProcess(false) // --help and --version return here, and exit below once their text is out
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .fail((msg, e) => {
    // Reported once, below. yargs writes some of its messages over several lines ('Invalid values:\n  Argument: ...'): bad input is one line.
    if (e !== undefined && e !== null) throw e
    throw new UsageError(withSuggestions(msg.replace(/:?\s*\n\s*/g, ': '), knownFlags()))
  })
/** The flags of the command being parsed (yargs keeps one instance, reset for each command), for a typo's nearest flag. */
knownFlags = () => Object.keys(cli.getOptions().key)

// The CLI's own process (a remote side's client with load --control, the orchestrator) holds its tick shape,
// as every process and thread it starts does (managedChild, the thread entries).
holdTickShape()
/** An error of starting that bin/ says in its own words (out of file handles while modules load). */
const startError = (e: unknown): boolean => e instanceof Error && 'code' in e && ['EMFILE', 'ENFILE'].includes(String(e.code))
try {
  await cli.parseAsync()
} catch (e) {
  if (startError(e)) throw e
  await fail(e)
}
// --help and --version end here, once what they printed is out.
await exitAfterOutput(0)
