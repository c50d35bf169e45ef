/**
 * The options of `run`, declared once: the flag, the plan field it sets,
 * how yargs reads it and its help. yargs' options, the help's defaults and
 * the raw plan all come from this table; yargs gets no defaults for plan
 * options, so "not given" stays undefined and a scenario's preset (a partial
 * plan) fills only what the user left out. Validation is validate.ts's.
 */
import { UsageError } from '../errors.js'
import { DATAGRAM_BYTES } from '../limits.js'
import { LOAD_DRIVERS } from '../load/drivers/index.js'

import { STEER_NAMES } from '../topology/steer/policies.js'
import type { RawOptions, RunPlan } from '../types/plan.js'
import { buildPlan, DEFAULT_PLAN, DEFAULT_PRECISION } from './validate.js'

/** The help's groups, in the order they are shown (as k6 and hyperfine group theirs). */
export const OPTION_GROUPS = { load: 'Load:', listeners: 'Listeners:', analysis: 'Analysis:', hosts: 'Hosts:', output: 'Output:' } as const

/** What a value is, shown in the help beside each option: [duration] 5s or 500ms; [count] 4 or 1k; [rate] requests/s, 2k; ... */
export type OptionUnit = 'duration' | 'count' | 'counts' | 'rate' | 'ms' | 'us' | 'share' | 'cpus' | 'file' | 'folder' | 'name' | 'names' | 'text' | 'address' | 'prefix' | 'number' | 'flag'

/** What an option takes in the API, in JavaScript (arrays for lists, numbers for numbers, objects for the stall and the target). */
export type ApiShape = 'modes' | 'ints' | 'duration' | 'int' | 'share' | 'seconds' | 'bool' | 'text' | 'texts' | 'cpus' | 'target' | 'stall'

export interface RunOption {
  flag: string
  /** The plan field the flag sets; none for options about output (they have a yargs default instead). */
  key?: keyof RunPlan
  /** The API's option of the same name (the plan field's), and what JavaScript it takes there; none: the CLI's only. */
  api?: ApiShape
  type: 'string' | 'boolean'
  /** Repeatable: every value is kept. */
  array?: true
  group: keyof typeof OPTION_GROUPS
  unit: OptionUnit
  /** One or two lines of help; the rest is in docs/commands.md. */
  description: string
  /** The default as the help says it, where it is not a plain value (it depends on other options). */
  defaultText?: string
  default?: string | boolean
  /** The one-letter flag people know from autocannon, wrk and k6. */
  alias?: string
  /** Another name of the flag, where another protocol names the thing otherwise (--flows for UDP's --connections); not shown as a flag of its own. */
  also?: string
}

/** The one table of run's options: the flags, their help, the plan field each sets and the API option of the same name with what it takes. */
const TABLE = [
  { flag: 'connections', alias: 'c', also: 'flows', key: 'connections', api: 'ints', type: 'string', group: 'load', unit: 'counts', description: 'concurrent client connections (--flows with --protocol udp; 1k = 1000); a list (10,100,1000) makes a sweep' },
  { flag: 'duration', alias: 'd', key: 'durationSec', api: 'duration', type: 'string', group: 'load', unit: 'duration', description: 'measured load per mode and trial (5s, 500ms, 2m)' },
  { flag: 'warmup', key: 'warmupSec', api: 'duration', type: 'string', group: 'load', unit: 'duration', description: 'the longest warm-up, not measured; it ends once throughput is steady (0: none)' },
  { flag: 'rate', alias: 'R', key: 'rate', api: 'int', type: 'string', group: 'load', unit: 'rate', description: 'total requests per second (2k); 0: as fast as possible' },
  { flag: 'protocol', key: 'protocol', api: 'text', type: 'string', group: 'load', unit: 'name', description: 'tcp (HTTP) or udp (datagrams, each answered by the listener that got it)' },
  { flag: 'datagram-size', key: 'datagramBytes', api: 'int', type: 'string', group: 'load', unit: 'count', description: 'with --protocol udp: bytes in each datagram the client sends', defaultText: String(DATAGRAM_BYTES.usual) },
  { flag: 'udp-connect', key: 'udpConnect', api: 'bool', type: 'boolean', group: 'load', unit: 'flag', description: 'with --protocol udp: each listener connects a socket of its own to every new flow (as QUIC servers do)' },
  { flag: 'udp-connect-arms', key: 'udpConnectArms', api: 'text', type: 'string', group: 'load', unit: 'text', description: 'with --protocol udp: only these arms (reuseport#2) connect a socket to each flow, paired with the rest' },
  { flag: 'heavy-flows', key: 'heavyFlows', api: 'text', type: 'string', group: 'load', unit: 'text', description: 'with --protocol udp and --rate, K:SHARE: K flows carry SHARE of the datagrams (1:50%)' },
  { flag: 'churn', key: 'churn', api: 'int', type: 'string', group: 'load', unit: 'count', description: 'a new connection every N requests (0: keep-alive)' },
  { flag: 'pipelining', alias: 'p', key: 'pipelining', api: 'int', type: 'string', group: 'load', unit: 'count', description: 'requests in flight on one connection (HTTP/1.1 pipelining: the autocannon and undici drivers)' },
  { flag: 'driver', key: 'driver', api: 'text', type: 'string', group: 'load', unit: 'name', description: `the load generator's client: ${LOAD_DRIVERS.map(x => x.name).join(', ')} (paced is the default with --rate)` },
  { flag: 'client-threads', key: 'clientThreads', api: 'int', type: 'string', group: 'load', unit: 'count', description: "the load generator's worker threads, each with its share of connections and rate" },
  { flag: 'client-cpus', key: 'clientCpus', api: 'cpus', type: 'string', group: 'load', unit: 'cpus', description: "the load generator's CPUs: 0-1,3, all (not pinned) or auto (a quarter of them)" },
  { flag: 'scenario', api: 'text', type: 'string', group: 'load', unit: 'name', description: '' }, // described from SCENARIOS below
  { flag: 'modes', key: 'modes', api: 'modes', type: 'string', group: 'listeners', unit: 'names', description: 'how the listeners share the port, comma-separated (the kinds are listed below)' },
  { flag: 'workers', alias: 'w', key: 'workers', api: 'ints', type: 'string', group: 'listeners', unit: 'counts', description: 'listener processes per mode; a list (1,2,4,8) makes a sweep' },
  { flag: 'listener-cpus', key: 'listenerCpus', api: 'cpus', type: 'string', group: 'listeners', unit: 'cpus', description: 'CPUs of every listener and the cluster primary: a list, all, or auto' },
  { flag: 'host', key: 'host', api: 'text', type: 'string', group: 'listeners', unit: 'address', description: 'the address the listeners bind (0.0.0.0 and :: are loaded through loopback)' },
  { flag: 'port', key: 'port', api: 'int', type: 'string', group: 'listeners', unit: 'number', description: 'the port to share (0: a free one)' },
  { flag: 'backlog', key: 'backlog', api: 'int', type: 'string', group: 'listeners', unit: 'count', description: 'the listen() backlog' },
  { flag: 'handler', key: 'handler', api: 'text', type: 'string', group: 'listeners', unit: 'file', description: 'serve your own request handler (plain http, Express, Koa) instead of the fixed body' },
  { flag: 'attribution', key: 'attribution', api: 'bool', type: 'boolean', group: 'listeners', unit: 'flag', description: "the x-worker header on each connection's first response (--no-attribution: none)" },
  { flag: 'instrument', key: 'instrument', api: 'bool', type: 'boolean', group: 'listeners', unit: 'flag', description: 'count and time requests in the listeners (--no-instrument measures its cost)' },
  { flag: 'work-us', key: 'workUs', api: 'int', type: 'string', group: 'listeners', unit: 'us', description: 'busy CPU work per request in every listener' },
  { flag: 'stall', key: 'stall', api: 'stall', type: 'string', group: 'listeners', unit: 'text', description: 'INDEX:FOR_MS:EVERY_MS: listener INDEX blocks its event loop FOR_MS every EVERY_MS (0:100:500)' },
  { flag: 'steer', key: 'steer', api: 'text', type: 'string', group: 'listeners', unit: 'text', description: `steer within a reuseport group: ${STEER_NAMES.join(', ')} (ARM=POLICY: one arm)` },
  { flag: 'dump-steering', key: 'dumpSteering', api: 'bool', type: 'boolean', group: 'listeners', unit: 'flag', description: "print each eBPF steering program and its load map at the end" },
  { flag: 'restart', key: 'restart', api: 'bool', type: 'boolean', group: 'listeners', unit: 'flag', description: 'replace every listener once, one at a time, during the load (a rolling restart)' },
  { flag: 'restart-busy-ms', key: 'restartBusyMs', api: 'int', type: 'string', group: 'listeners', unit: 'ms', description: 'in a restart, how long each old listener stays busy before it closes' },
  { flag: 'node', key: 'node', api: 'text', type: 'string', group: 'listeners', unit: 'file', description: 'a Node binary to run the listeners (and only them) under' },
  { flag: 'interleave', key: 'interleave', api: 'text', type: 'string', group: 'analysis', unit: 'name', description: 'rounds: modes side by side, one group loaded at a time in slices (two modes or more); cells: one after another' },
  { flag: 'slice', key: 'sliceSec', api: 'duration', type: 'string', group: 'analysis', unit: 'duration', description: 'with --interleave rounds: one slice of load (1s, 500ms)' },
  { flag: 'trials', key: 'trials', api: 'int', type: 'string', group: 'analysis', unit: 'count', description: 'runs of each cell, paired across modes by trial; 1 gives no interval' },
  { flag: 'precision', key: 'precision', api: 'share', type: 'string', group: 'analysis', unit: 'share', description: "go on until each pair's req/s ratio is known within this share (5%); off: planned rounds", defaultText: `${DEFAULT_PRECISION.precision * 100}% unless --duration or --trials` },
  { flag: 'max-time', key: 'maxTimeSec', api: 'seconds', type: 'string', group: 'analysis', unit: 'duration', description: 'a budget for the whole run (90s, 10m): no round starts that would end past it', defaultText: `${DEFAULT_PRECISION.maxTimeSec / 60}m with --precision` },
  { flag: 'unstable', key: 'unstable', api: 'text', type: 'string', group: 'analysis', unit: 'name', description: 'a round in which the host changed: leave-out (of ratios), keep, or rerun (at the end)' },
  { flag: 'seed', key: 'seed', api: 'int', type: 'string', group: 'analysis', unit: 'number', description: 'the seed of the shuffled order of runs' },
  { flag: 'pause', key: 'pauseSec', api: 'duration', type: 'string', group: 'analysis', unit: 'duration', description: 'between cells (--interleave cells)' },
  { flag: 'queue-sample-ms', key: 'queueSampleMs', api: 'int', type: 'string', group: 'analysis', unit: 'ms', description: "sample every listening socket's accept queue this often during the load (0: not sampled)" },
  { flag: 'deadline-scale', key: 'deadlineScale', api: 'int', type: 'string', group: 'analysis', unit: 'number', description: "every phase's deadline times N, for a very slow host (deadlines stop hangs; they measure nothing)" },
  { flag: 'fail-if', key: 'failIf', api: 'texts', type: 'string', array: true, group: 'analysis', unit: 'text', description: 'exit 3 when a run crosses a threshold: jain<0.9, p99>50ms, busiest>50%, rps<5k, errors>0 (repeatable)' },
  { flag: 'probe', type: 'boolean', default: false, group: 'analysis', unit: 'flag', description: 'also run the bind/listen probe, into the result and report' },
  { flag: 'client-netns', key: 'clientNetns', api: 'bool', type: 'boolean', group: 'hosts', unit: 'flag', description: "root, Linux: the load generator in a network namespace of its own, joined by a veth pair" },
  { flag: 'client-addrs', key: 'clientAddrs', api: 'int', type: 'string', group: 'hosts', unit: 'count', description: 'with --client-netns: client addresses that new connections take in turn' },
  { flag: 'server-via', key: 'serverVia', api: 'text', type: 'string', group: 'hosts', unit: 'prefix', description: "run the listeners on another host, through a command prefix ('ssh user@host', 'ip netns exec NS')" },
  { flag: 'client-via', key: 'clientVia', api: 'texts', type: 'string', array: true, group: 'hosts', unit: 'prefix', description: 'a client host that loads --target with its share of the load (repeatable)' },
  { flag: 'target', key: 'target', api: 'target', type: 'string', group: 'hosts', unit: 'address', description: 'HOST[:PORT]: where the client hosts reach the listeners' },
  { flag: 'remote-command', key: 'remoteCommand', api: 'text', type: 'string', group: 'hosts', unit: 'text', description: "how the other hosts run reuseport-bench ('npx reuseport-bench')", defaultText: 'this Node, this installation' },
  { flag: 'out', type: 'string', default: 'reports', group: 'output', unit: 'folder', description: 'the folder for <out>/<timestamp>/result.json and <out>/latest' },
  { flag: 'json', alias: 'j', type: 'boolean', default: false, group: 'output', unit: 'flag', description: 'print the result JSON on stdout and nothing else' },
  { flag: 'label', key: 'label', api: 'text', type: 'string', group: 'output', unit: 'text', description: 'a name for this run, kept in the result' }
] as const satisfies readonly RunOption[]

export const RUN_OPTIONS: readonly RunOption[] = TABLE

/** The API's option names, as the table has them: a row with an API shape, named by its plan field (scenario by its flag). */
export type ApiOptionName = Extract<(typeof TABLE)[number], { api: ApiShape }> extends infer R ? R extends { key: infer K } ? K : R extends { flag: infer F } ? F : never : never

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
  if (v === undefined || v === null || v === '' || typeof v === 'object') return ''
  return String(v)
}

/** The yargs options of `run`, built from the table: each with its unit and default in the help (yargs shows neither type nor default itself). */
export function runYargsOptions (extra: readonly RunOption[] = []): Record<string, { type: 'string' | 'boolean', description: string, default?: string | boolean, array?: boolean, alias?: string, hidden?: boolean }> {
  const out: ReturnType<typeof runYargsOptions> = {}
  for (const o of [...RUN_OPTIONS, ...extra]) {
    const plain = o.key === undefined ? (typeof o.default === 'string' ? o.default : '') : shownDefault(o.key)
    const shown = o.defaultText ?? (o.unit === 'duration' && plain !== '' ? `${plain}s` : plain)
    const text = o.flag === 'scenario' ? `a named partial plan: ${Object.keys(SCENARIOS).join(', ')} (docs/scenarios.md)` : o.description
    const description = `${text} [${o.unit}]${shown === '' || o.type === 'boolean' ? '' : ` [default: ${shown}]`}`
    out[o.flag] = { type: o.type, description, ...(o.default === undefined ? {} : { default: o.default }), ...(o.array === true ? { array: true } : {}), ...(o.alias === undefined ? {} : { alias: o.alias }) }
    if (o.also !== undefined) out[o.also] = { type: o.type, description: `--${o.flag}`, hidden: true }
  }
  return out
}

/** The run options of each help group (with `extra`, the options a surface adds: the exporters'), for yargs' .group(). */
export function runOptionGroups (extra: readonly RunOption[] = []): Array<[string[], string]> {
  return Object.entries(OPTION_GROUPS).map(([g, title]) => [[...RUN_OPTIONS, ...extra].filter(o => o.group === g).map(o => o.flag), title])
}

/** The plan from parsed flags: the options given, over the scenario's preset, then one validation. */
export function planFromArgs (argv: Record<string, unknown>): RunPlan {
  const given: RawOptions = {}
  for (const o of RUN_OPTIONS) {
    const also = o.also === undefined ? undefined : argv[o.also]
    if (also !== undefined && argv[o.flag] !== undefined) throw new UsageError(`--${o.flag} and --${o.also ?? ''} are one option: give one`)
    const v = argv[o.flag] ?? also
    if (o.key !== undefined && v !== undefined) given[o.key] = v
  }
  const name = argv.scenario
  if (name === undefined) return buildPlan(given)
  const scenario = SCENARIOS[String(name)]
  if (scenario === undefined) throw new UsageError(`unknown scenario '${String(name)}'; known: ${Object.keys(SCENARIOS).join(', ')}`)
  return buildPlan({ ...scenario.preset, ...given })
}
