/**
 * The API's options, in JavaScript: arrays for lists, numbers for numbers,
 * durations in seconds or as strings with their unit, objects for the stall
 * and the target. Each option is checked as the caller wrote it, then handed
 * to the one plan validation (plan/validate.ts), whose messages are made to
 * name the option (`options.durationSec`), not the flag (`--duration`).
 * CLI strings ('reuseport,shared', '1k') work through the CLI only.
 */
import { UsageError } from '../errors.js'
import { RUN_OPTIONS, SCENARIOS } from '../plan/options.js'
import type { ApiOptionName, ApiShape } from '../plan/options.js'
import { buildPlan } from '../plan/validate.js'
import { MODES, listenerKind } from '../topology/kinds/index.js'
import type { RawOptions, RunPlan } from '../types/plan.js'
import { fieldOf } from '../shape.js'

/** What `run` takes; every field may be left out and takes the CLI's default. */
export interface RunOptions {
  /** Listener kinds to compare, e.g. ['reuseport', 'shared', 'cluster']. */
  modes?: string[]
  /** Listener processes per mode; an array makes a sweep. */
  workers?: number | number[]
  /** Concurrent client connections; an array makes a sweep. */
  connections?: number | number[]
  /** Measured load per cell: seconds, or a string with its unit ('500ms', '2m'). */
  durationSec?: number | string
  /** Load before each measurement, not counted: seconds, or a string with its unit. */
  warmupSec?: number | string
  /** Pause between cells: seconds, or a string with its unit. */
  pauseSec?: number | string
  /** 'rounds' (modes side by side, the load in slices; the default where the plan allows it) or 'cells' (one after another). */
  interleave?: 'rounds' | 'cells'
  /** With 'rounds': one slice of load, seconds or a string with its unit. */
  sliceSec?: number | string
  /** 'leave-out' (the default): rounds whose host did not hold still are left out of ratios; 'keep': kept; 'rerun': left out and run again (side by side). */
  unstable?: 'leave-out' | 'keep' | 'rerun'
  /** A new connection every this many requests; 0 keeps connections alive. */
  churn?: number
  /** Requests in flight on one connection (autocannon and undici drivers); 1 by default. */
  pipelining?: number
  /** Requests per second in total; 0: as fast as possible. */
  rate?: number
  /** The load driver: 'autocannon' or 'paced' (the default with a rate); 'dgram' for UDP. */
  driver?: string
  /** 'tcp' (HTTP, the default) or 'udp' (datagrams, each answered; `connections` then counts flows). */
  protocol?: 'tcp' | 'udp'
  /** With protocol 'udp': bytes in each datagram the client sends (64 by default). */
  datagramBytes?: number
  /** With protocol 'udp': a connected socket per flow in each listener, as QUIC servers do. */
  udpConnect?: boolean
  /** With protocol 'udp': only these arms connect a socket to each flow ('reuseport#2'), the rest do not, paired in one run. */
  udpConnectArms?: string
  /** With protocol 'udp' and a rate: 'K:SHARE', K flows carrying SHARE of the datagrams ('1:50%'). */
  heavyFlows?: string
  host?: string
  /** 0 picks a free port. */
  port?: number
  backlog?: number
  instrument?: boolean
  /** The user's request handler module (a path). */
  handler?: string | null
  attribution?: boolean
  label?: string
  workUs?: number
  /** Listener `index` blocks its event loop `forMs` every `everyMs`. */
  stall?: { index: number, forMs: number, everyMs: number } | null
  /** A steering policy for every arm that takes one (none, cpu, first, hash, two-choices, least-loaded), and/or 'ARM=POLICY' items, comma-separated. */
  steer?: string
  /** Keep each eBPF steering program's instructions in the result (scenario.steer.program.dump). */
  dumpSteering?: boolean
  restart?: boolean
  restartBusyMs?: number
  trials?: number
  seed?: number
  /** Thresholds, e.g. ['jain<0.9', 'p99>50ms']; the result's `violations` are for the caller to act on. */
  failIf?: string[]
  clientNetns?: boolean
  clientAddrs?: number
  clientThreads?: number
  /** CPUs of the load generator: 'auto', 'all' or CPU numbers. */
  clientCpus?: 'auto' | 'all' | number[]
  /** CPUs of every listener process: 'auto', 'all' or CPU numbers. */
  listenerCpus?: 'auto' | 'all' | number[]
  queueSampleMs?: number
  deadlineScale?: number
  /** Rounds go on until every pair's req/s ratio is known within this share (0.05: within 5%), or maxTimeSec is spent; null: the planned rounds only. */
  precision?: number | null
  /** A budget for the whole run, seconds. */
  maxTimeSec?: number | null
  /** A Node binary to run the listeners under. */
  node?: string | null
  /** Where client hosts reach the listeners: { host, port } or 'HOST:PORT'. */
  target?: { host: string, port?: number } | string | null
  serverVia?: string | null
  clientVia?: string[]
  remoteCommand?: string | null
  /** A named scenario (stall, work, restart, steer, incoming-cpu, burst): a preset the other options override. */
  scenario?: string
}

/** Each option's shape in JavaScript, from the one options table (plan/options.ts). */
const SHAPES: ReadonlyMap<string, ApiShape> = new Map(RUN_OPTIONS.flatMap(o => o.api === undefined ? [] : [[o.key ?? o.flag, o.api]]))

/** RunOptions names exactly the table's API options: where one differs, this line does not compile and says which. */
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : { onlyInRunOptions: Exclude<A, B>, onlyInTheTable: Exclude<B, A> }
const SAME_NAMES: Same<keyof RunOptions, ApiOptionName> = true
void SAME_NAMES

const bad = (name: string, what: string, v: unknown): UsageError => new UsageError(`options.${name} must be ${what}, got ${shown(v)}`)
const shown = (v: unknown): string => typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v)
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** An array whose every item is `each` ('an integer'); `whole` says what the option takes. */
function arrayOf (name: string, v: unknown, whole: string, each: string, ok: (x: unknown) => boolean): unknown[] {
  if (!Array.isArray(v)) throw bad(name, whole, v)
  if (v.length === 0) throw new UsageError(`options.${name} needs at least one value`)
  v.forEach((x, i) => { if (!ok(x)) throw new UsageError(`options.${name}[${i}] must be ${each}, got ${shown(x)}`) })
  return v
}

function modeList (v: unknown): string {
  const list = arrayOf('modes', v, "an array of mode names, e.g. ['reuseport', 'shared']", 'a mode name', x => typeof x === 'string') as string[]
  list.forEach((m, i) => {
    try { listenerKind(m) } catch (err) { throw new UsageError(`options.modes[${i}]: '${m}' is not a mode; modes are ${MODES.join(', ')}`, 'RB_USAGE', { cause: err }) }
  })
  return list.join(',')
}

/** One option as the plan validation reads it (the CLI's raw form), after checking its JavaScript type. */
function rawValue (name: string, v: unknown): unknown {
  if (v === undefined) return undefined
  switch (SHAPES.get(name)) {
    case 'modes': return modeList(v)
    case 'ints': return isNumber(v) ? v : (arrayOf(name, v, 'a number or an array of integers', 'an integer', x => isNumber(x) && Number.isInteger(x))).join(',')
    case 'duration': if (isNumber(v) || typeof v === 'string') return v; throw bad(name, "seconds or a duration with its unit ('500ms', '2m')", v)
    case 'int': if (isNumber(v)) return v; throw bad(name, 'a number', v)
    case 'share': if (isNumber(v) || v === null) return v ?? 'off'; throw bad(name, 'a share of the ratio as a number (0.05: within 5%) or null', v)
    case 'seconds': if (isNumber(v) || v === null) return v; throw bad(name, 'a number of seconds or null', v)
    case 'bool': if (typeof v === 'boolean') return v; throw bad(name, 'true or false', v)
    case 'text': if (typeof v === 'string' || v === null) return v; throw bad(name, 'a string', v)
    case 'texts': return arrayOf(name, v, 'an array of strings', 'a string', x => typeof x === 'string')
    case 'cpus': return v === 'auto' || v === 'all' ? v : (arrayOf(name, v, "'auto', 'all' or an array of CPU numbers", 'a CPU number', x => isNumber(x) && Number.isInteger(x))).join(',')
    case 'target': return targetText(v)
    case 'stall': return stallText(v)
  }
}

function targetText (v: unknown): string | null {
  if (v === null || typeof v === 'string') return v
  const t = { host: fieldOf(v, 'host'), port: fieldOf(v, 'port') }
  if (typeof v !== 'object' || typeof t.host !== 'string' || (t.port !== undefined && !isNumber(t.port))) throw bad('target', "{ host, port } or 'HOST:PORT'", v)
  const host = t.host.includes(':') ? `[${t.host}]` : t.host
  return t.port === undefined ? host : `${host}:${t.port}`
}

function stallText (v: unknown): string | null {
  if (v === null) return null
  const s = { index: fieldOf(v, 'index'), forMs: fieldOf(v, 'forMs'), everyMs: fieldOf(v, 'everyMs') }
  if (typeof v !== 'object' || !isNumber(s.index) || !isNumber(s.forMs) || !isNumber(s.everyMs)) throw bad('stall', '{ index, forMs, everyMs } (numbers) or null', v)
  return `${s.index}:${s.forMs}:${s.everyMs}`
}

/** `--duration` -> `options.durationSec`: the flag names in a plan validation message, as the API's caller wrote them. */
const OPTION_OF = new Map(RUN_OPTIONS.map(o => [o.flag, o.key ?? o.flag]))
export function asOptionNames (message: string): string {
  return message.replace(/--(no-)?([a-z][a-z0-9-]*)/g, (m: string, _no: string | undefined, flag: string) => OPTION_OF.has(flag) ? `options.${OPTION_OF.get(flag) ?? flag}` : m)
}

/** The plan from the API's options: each checked as written, over the scenario's preset, then the one validation. */
export function planFromOptions (options: RunOptions): RunPlan {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new UsageError(`options must be an object, got ${shown(options)}`)
  for (const [name, v] of Object.entries(options)) {
    if (name === 'out' || name === 'signal' || name === 'onEvent') throw new UsageError(`options.${name} is not a run option but a hook: run(options, { ${name} })`)
    if (!SHAPES.has(name)) throw new UsageError(`options.${name} is not an option of run; options are ${[...SHAPES.keys()].join(', ')}`)
    rawValue(name, v)
  }
  // Each plan field from its row of the table: the API option of its name, in the CLI's raw form.
  const raw: RawOptions = {}
  for (const o of RUN_OPTIONS) {
    const value = o.key === undefined ? undefined : rawValue(o.key, fieldOf(options, o.key))
    if (o.key !== undefined && value !== undefined) raw[o.key] = value
  }
  const scenario = options.scenario === undefined || options.scenario === null ? undefined : SCENARIOS[options.scenario]
  if (options.scenario !== undefined && options.scenario !== null && scenario === undefined) throw new UsageError(`options.scenario: '${options.scenario}' is not a scenario; scenarios are ${Object.keys(SCENARIOS).join(', ')}`)
  try {
    return buildPlan({ ...scenario?.preset, ...raw })
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    throw new UsageError(asOptionNames(err.message), err.code, { cause: err })
  }
}
