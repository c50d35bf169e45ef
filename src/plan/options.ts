/**
 * The options of `run`, declared once: the flag, the plan field it sets,
 * how yargs reads it and its help. yargs' options, the help's defaults and
 * the raw plan all come from this table; yargs gets no defaults for plan
 * options, so "not given" stays undefined and a scenario's preset (a partial
 * plan) fills only what the user left out. Validation is validate.ts's.
 */
import { UsageError } from '../errors.js'
import { describeDrivers } from '../load/drivers/index.js'
import { describeKinds, MODES } from '../topology/kinds/index.js'
import { describePolicies } from '../topology/steer/policies.js'
import type { RawOptions, RunPlan } from '../types/plan.js'
import { buildPlan, DEFAULT_PLAN, DEFAULT_PRECISION } from './validate.js'
import { MIN_ROUNDS } from '../analyse/precision.js'

export interface RunOption {
  flag: string
  /** The plan field the flag sets; none for options about output (they have a yargs default instead). */
  key?: keyof RunPlan
  type: 'string' | 'boolean'
  /** Repeatable: every value is kept. */
  array?: true
  description: string
  default?: string | boolean
  /** The one-letter flag people know from autocannon, wrk and k6. */
  alias?: string
}

export const RUN_OPTIONS: readonly RunOption[] = [
  { flag: 'modes', key: 'modes', type: 'string', description: `comma-separated modes: ${MODES.join(', ')} (${describeKinds()})` },
  { flag: 'workers', alias: 'w', key: 'workers', type: 'string', description: 'listener processes per mode; a list (1,2,4,8) makes a sweep' },
  { flag: 'connections', alias: 'c', key: 'connections', type: 'string', description: 'concurrent client connections (1k = 1000); a list (10,100,1000) makes a sweep' },
  { flag: 'duration', alias: 'd', key: 'durationSec', type: 'string', description: 'measured load per mode: seconds, or with a unit (500ms, 10s, 2m)' },
  { flag: 'warmup', key: 'warmupSec', type: 'string', description: 'the longest warm-up before measuring, not counted: it ends sooner once throughput is steady (the last 3 one-second loads within 5% of their mean; fresh listeners here need 5 to 15 s); seconds, or with a unit (500ms, 2s); 0: none' },
  { flag: 'churn', key: 'churn', type: 'string', description: 'open a new connection every N requests (0 = keep-alive)' },
  { flag: 'rate', alias: 'R', key: 'rate', type: 'string', description: 'fixed total requests per second, e.g. 2000 or 2k (0 = as fast as possible)' },
  { flag: 'driver', key: 'driver', type: 'string', description: `the load driver: ${describeDrivers()}` },
  { flag: 'host', key: 'host', type: 'string', description: 'address the listeners bind (must be on this machine; 0.0.0.0 and :: are loaded through loopback)' },
  { flag: 'port', key: 'port', type: 'string', description: 'port to share (0 = pick a free one)' },
  { flag: 'backlog', key: 'backlog', type: 'string', description: 'listen() backlog' },
  { flag: 'pause', key: 'pauseSec', type: 'string', description: 'seconds between cells (--interleave cells)' },
  { flag: 'interleave', key: 'interleave', type: 'string', description: "rounds: every mode's listeners start once, each group on its own port, and the load goes to one group at a time in slices, each round every mode once in a fresh shuffled order, so ratios come from rounds seconds apart (the default with two modes or more); cells: fresh listeners per cell, one after another (the default for one mode; stall, restart and runs over hosts always run as cells)" },
  { flag: 'unstable', key: 'unstable', type: 'string', description: "leave-out: a round in which the host changed (a CPU's speed moving more than 10% within a slice or between its slices, or the share of the run's CPUs other processes took moving more than 15 points between its slices) is left out of medians and ratios, and a steady share is kept and said, since paired rounds cancel it; where every round of a configuration changed, all are shown, marked not comparable (the default); keep: kept, and the verdict still says how many were unstable; rerun: left out, and as many rounds run again at the end (at most half as many as planned; side by side only)" },
  { flag: 'slice', key: 'sliceSec', type: 'string', description: 'with --interleave rounds: one slice of load (1s, 500ms); each mode gets --duration per trial, in slices' },
  { flag: 'instrument', key: 'instrument', type: 'boolean', description: 'count and time requests in listeners (--no-instrument to measure its cost)' },
  { flag: 'handler', key: 'handler', type: 'string', description: 'FILE: serve your own request handler in every listener instead of the fixed body: a module whose default export is (req, res) (plain http, Express), a factory returning one, or an app with callback() (Koa)' },
  { flag: 'attribution', key: 'attribution', type: 'boolean', description: "send the x-worker header on each connection's first response, which splits client latency by listener (--no-attribution leaves your responses exactly as your handler writes them)" },
  { flag: 'label', key: 'label', type: 'string', description: 'a name for this run, kept in the result' },
  { flag: 'work-us', key: 'workUs', type: 'string', description: 'busy CPU work per request in every listener, microseconds' },
  { flag: 'stall', key: 'stall', type: 'string', description: 'INDEX:FOR_MS:EVERY_MS - listener INDEX blocks its event loop FOR_MS every EVERY_MS (e.g. 0:100:500)' },
  { flag: 'steer', key: 'steer', type: 'string', description: `steer new connections within each reuseport group: POLICY for every arm that can take a program, or ARM=POLICY for one arm (--modes reuseport,reuseport --steer reuseport#2=least-loaded compares hash and least-loaded in one run); policies: ${describePolicies()}. The eBPF ones need Linux 5.5+ and root (CAP_BPF, CAP_NET_ADMIN, CAP_SYS_ADMIN); where not allowed, their arms are skipped with the reason` },
  { flag: 'dump-steering', key: 'dumpSteering', type: 'boolean', description: "print each eBPF steering program's instructions and its load map's final contents (with --steer hash, two-choices or least-loaded)" },
  { flag: 'restart', key: 'restart', type: 'boolean', description: 'replace every listener once, one at a time, during the load (a rolling restart)' },
  { flag: 'restart-busy-ms', key: 'restartBusyMs', type: 'string', description: 'in a restart, keep each old listener busy this long before it closes, as a loaded process would be' },
  { flag: 'precision', key: 'precision', type: 'string', description: `with modes side by side: go on with rounds until the 95% interval of every pair's req/s ratio lies within this share of the ratio (5%: the ratio +/-5%), or --max-time is spent; the rule reads the interval's width only, never whether it excludes 1, and the verdict says where it stopped; at least ${MIN_ROUNDS} rounds. off: the planned rounds only [default: ${DEFAULT_PRECISION.precision * 100}% in at most ${DEFAULT_PRECISION.maxTimeSec / 60}m when neither --duration nor --trials is given, else off]` },
  { flag: 'max-time', key: 'maxTimeSec', type: 'string', description: `a budget for the whole run, start and warm-up included (90s, 10m): no round starts that would end past it once two have run; the verdict says how precise the ratios got [default: ${DEFAULT_PRECISION.maxTimeSec / 60}m with --precision]` },
  { flag: 'trials', key: 'trials', type: 'string', description: 'runs of each grid cell (with --interleave rounds, each trial is --duration of slices per mode): trials run as blocks, each with the modes of every configuration back to back in a seeded shuffled order, so trial t of two modes is a pair; 1 gives no interval' },
  { flag: 'seed', key: 'seed', type: 'string', description: 'seed for the shuffled order of runs' },
  { flag: 'client-netns', key: 'clientNetns', type: 'boolean', description: "root, Linux: run the load generator in a network namespace of its own, joined to the listeners' namespace by a veth pair (skipped with the reason otherwise)" },
  { flag: 'client-addrs', key: 'clientAddrs', type: 'string', description: 'with --client-netns: client addresses that new connections take in turn' },
  { flag: 'client-threads', key: 'clientThreads', type: 'string', description: 'worker threads in the load generator, each running the driver on its share of the connections and rate (histograms and counters merged exactly); more threads need more client CPUs (--client-cpus)' },
  { flag: 'client-cpus', key: 'clientCpus', type: 'string', description: 'CPUs of the load generator: a list such as 0 or 0-1,3, all (not pinned), or auto: on 2 or more CPUs a quarter of them (at least one) for the client and the rest for the listeners, so the client does not take CPU from what it measures' },
  { flag: 'listener-cpus', key: 'listenerCpus', type: 'string', description: 'CPUs of every listener process and the cluster primary: a list, all, or auto (see --client-cpus); a side given as a list leaves the other the remaining CPUs' },
  { flag: 'queue-sample-ms', key: 'queueSampleMs', type: 'string', description: "sample every listening socket's accept queue (length, limit, drops, from the kernel) this often during the load, ms; 0: not sampled" },
  { flag: 'deadline-scale', key: 'deadlineScale', type: 'string', description: "N: give every phase (listeners starting, warm-up, load, stats, stop, and the probe's processes) N times its usual deadline, for a slow host such as a guest under software emulation, where a Node process takes seconds to start; deadlines only stop hangs, they do not change what is measured" },
  { flag: 'node', key: 'node', type: 'string', description: 'PATH of a Node binary to run the listeners (and only them) under, to compare Node versions in one run; the result records each side\'s version' },
  { flag: 'target', key: 'target', type: 'string', description: 'HOST[:PORT]: with --server-via or --client-via, the address at which the client hosts reach the listeners (the listeners bind HOST unless --host says otherwise; no PORT or 0: the server picks a free one)' },
  { flag: 'server-via', key: 'serverVia', type: 'string', description: "PREFIX: run the listeners on another host, reached with this command prefix: 'ssh -p 22 user@host', 'vagrant ssh NAME --', 'kubectl exec -i POD --', 'ip netns exec NS'; it starts `reuseport-bench serve --control stdio` there" },
  { flag: 'client-via', key: 'clientVia', type: 'string', array: true, description: 'PREFIX: a client host that loads --target with its share of the connections and rate (repeatable, one per host); it starts `reuseport-bench load --control stdio` there' },
  { flag: 'remote-command', key: 'remoteCommand', type: 'string', description: "how the other hosts run reuseport-bench, e.g. 'npx reuseport-bench' or 'node /vagrant/bin/reuseport-bench.js' [default: this Node and this installation, at the same paths]" },
  { flag: 'fail-if', key: 'failIf', type: 'string', array: true, description: 'exit 3 (after writing the result) when a run crosses a threshold: jain<0.9, p99>50ms, p99>1s, busiest>50%, rps<5k, errors>0 (repeatable)' },
  { flag: 'scenario', type: 'string', description: '' }, // described from SCENARIOS below
  { flag: 'out', type: 'string', default: 'reports', description: 'folder for results: <out>/<timestamp>/result.json and <out>/latest' },
  { flag: 'export-markdown', type: 'string', description: 'FILE: also write the comparison, the verdict and the per-listener tables as markdown (to paste into an issue)' },
  { flag: 'export-csv', type: 'string', description: 'FILE: also write the per-listener counts as CSV, each row keyed by its cell (mode, variant, workers, connections, trial)' },
  { flag: 'json', alias: 'j', type: 'boolean', default: false, description: 'print the result JSON on stdout and nothing else' },
  { flag: 'probe', type: 'boolean', default: false, description: 'also run the bind/listen probe and include it in the result and report' }
]

/** Named scenarios: partial plans, filling what the user did not give. */
export const SCENARIOS: Record<string, { description: string, preset: RawOptions }> = {
  stall: { description: 'listener 0 blocks its event loop 100 ms every 500 ms; a new connection per request (as in the published experiment)', preset: { stall: '0:100:500', churn: 1 } },
  work: { description: '200 us of CPU work per request in every listener', preset: { workUs: 200 } },
  restart: {
    description: 'replace every listener once, one at a time, during the load (a deploy); each old listener is busy 50 ms before it closes; a new connection per request; on Linux as root also repeated with net.ipv4.tcp_migrate_req=1 in a network namespace of its own',
    preset: { restart: true, churn: 1, restartBusyMs: 50 }
  },
  steer: { description: 'steer connections within the reuseport group by receiving CPU with a classic BPF program, with 2 client threads spread over all CPUs (on loopback the client\'s CPU receives the connection)', preset: { steer: 'cpu', clientThreads: 2, clientCpus: 'all', listenerCpus: 'all' } },
  'incoming-cpu': { description: 'reuseport against incoming-cpu (each listener pinned to a CPU and preferring connections that CPU received; Linux 6.2+), with 2 client threads spread over all CPUs', preset: { modes: 'reuseport,incoming-cpu', clientThreads: 2, clientCpus: 'all', listenerCpus: 'all' } },
  burst: { description: 'small accept queues (backlog 8) under 200 connections at once, each a new connection per request: the kernel\'s overflows and drops by listener and mode', preset: { backlog: 8, churn: 1, connections: 200 } }
}

/** How a default shows in --help: '' when there is nothing worth showing. */
function shownDefault (key: keyof RunPlan): string {
  const v = DEFAULT_PLAN[key]
  if (Array.isArray(v)) return v.length === 0 ? '' : v.join(',')
  if (v === null || v === '' || typeof v === 'object') return ''
  return String(v)
}

/** The yargs options of `run`, built from the table. */
export function runYargsOptions (): Record<string, { type: 'string' | 'boolean', description: string, default?: string | boolean, array?: boolean, alias?: string }> {
  const out: ReturnType<typeof runYargsOptions> = {}
  for (const o of RUN_OPTIONS) {
    const shown = o.key === undefined ? '' : shownDefault(o.key)
    const description = o.flag === 'scenario'
      ? `a named scenario: ${Object.entries(SCENARIOS).map(([k, v]) => `${k} (${v.description})`).join('; ')}`
      : `${o.description}${shown === '' ? '' : ` [default: ${shown}]`}`
    out[o.flag] = { type: o.type, description, ...(o.default === undefined ? {} : { default: o.default }), ...(o.array === true ? { array: true } : {}), ...(o.alias === undefined ? {} : { alias: o.alias }) }
  }
  return out
}

/** The plan from parsed flags: the options given, over the scenario's preset, then one validation. */
export function planFromArgs (argv: Record<string, unknown>): RunPlan {
  const given: RawOptions = {}
  for (const o of RUN_OPTIONS) {
    if (o.key !== undefined && argv[o.flag] !== undefined) given[o.key] = argv[o.flag]
  }
  const name = argv.scenario
  if (name === undefined) return buildPlan(given)
  const scenario = SCENARIOS[String(name)]
  if (scenario === undefined) throw new UsageError(`unknown scenario '${String(name)}'; known: ${Object.keys(SCENARIOS).join(', ')}`)
  return buildPlan({ ...scenario.preset, ...given })
}
