/**
 * A run plan is plain data: built once from CLI flags, validated once,
 * recorded verbatim in the result so any report can be re-run.
 */
import { parseSeconds, parseShare } from './units.js'
import { heavyFlows, udpConnectArms } from './udp.js'
import { MIN_ROUNDS } from '../analyse/precision.js'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.js'
import { commandText, overHosts, parseTarget, viaList } from './hosts.js'
import { integer, listItems, single } from './values.js'
import { DATAGRAM_BYTES, LIMITS } from '../limits.js'
import { defaultDriver, loadDriver } from '../load/drivers/index.js'
import { parseCpuChoice } from '../proc/cpus.js'
import { armName, DEFAULT_MODES, listenerKind } from '../topology/kinds/index.js'
import { anyClassic, parseSteer } from './steer.js'
import { checkCombinations, checkSize } from './combinations.js'
import { parseThreshold } from './threshold.js'
import type { Mode, RawOptions, RunPlan } from '../types/plan.js'

export { integer } from './values.js'

export const DEFAULT_PLAN: RunPlan = {
  modes: [...DEFAULT_MODES],
  workers: 4,
  connections: 50,
  durationSec: 5,
  warmupSec: 30,
  churn: 0,
  pipelining: 1,
  rate: 0,
  driver: defaultDriver(0).name,
  protocol: 'tcp',
  host: '127.0.0.1',
  port: 0,
  backlog: 511,
  pauseSec: 1,
  interleave: 'rounds',
  sliceSec: 1,
  unstable: 'leave-out',
  instrument: true,
  handler: null,
  attribution: true,
  label: '',
  workUs: 0,
  stall: null,
  steer: 'none',
  restart: false,
  restartBusyMs: 0,
  trials: 3,
  precision: null,
  maxTimeSec: null,
  sweep: { workers: [4], connections: [50] },
  seed: 1,
  failIf: [],
  clientNetns: false,
  clientAddrs: 1,
  clientThreads: 1,
  clientCpus: 'auto',
  listenerCpus: 'auto',
  queueSampleMs: 20,
  deadlineScale: 1,
  node: null,
  target: null,
  serverVia: null,
  clientVia: [],
  remoteCommand: null
}

export { LIMITS } from '../limits.js'

/** A duration: plain seconds or with a unit ('500ms', '10s', '2m', '1h'). */
function seconds (name: string, v: unknown, min: number, max: number): number {
  const x = single(name, v)
  const n = typeof x === 'number' ? x : typeof x === 'string' ? parseSeconds(x) : undefined
  if (n === undefined) throw new UsageError(`--${name} must be a number of seconds, or a duration with its unit (500ms, 10s, 2m), got '${String(x)}'`)
  if (n < min || n > max) throw new UsageError(`--${name} must be from ${min} to ${max} seconds, got '${String(v)}'`)
  return n
}

/**
 * "reuseport,shared" -> ['reuseport', 'shared']. A mode named again is a second arm of the same kind
 * ('reuseport#2'), compared like any other mode: two arms of one kind measure the harness's own noise (A/A).
 */
export function parseModes (v: unknown): Mode[] {
  const out: Mode[] = []
  for (const m of listItems('modes', v)) {
    const kind = listenerKind(m).mode
    if (m !== kind && out.includes(m)) throw new UsageError(`--modes names ${m} twice`)
    let name = m
    for (let arm = 2; out.includes(name) && m === kind; arm++) name = armName(kind, arm)
    out.push(name)
  }
  if (out.length > LIMITS.modes) throw new UsageError(`--modes takes at most ${LIMITS.modes} modes, got ${out.length}`)
  return out
}

/** "1,2,4" -> [1, 2, 4], each an integer in range. */
export function intList (name: string, v: unknown, min: number, max: number): number[] {
  const items = listItems(name, v)
  if (items.length > 16) throw new UsageError(`--${name} takes at most 16 values`)
  return [...new Set(items.map(x => integer(name, x, min, max)))]
}

/** "0:100:500" -> listener 0 stalls 100 ms every 500 ms; the listener must exist in every cell. */
export function parseStall (v: unknown, workers: number): RunPlan['stall'] {
  const x = single('stall', v)
  if (x === undefined || x === null || x === false) return null
  const m = /^(\d+):(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(String(x).trim())
  if (m === null) throw new UsageError(`--stall must be INDEX:FOR_MS:EVERY_MS (e.g. 0:100:500), got '${String(x)}'`)
  const stall = { index: Number(m[1]), forMs: Number(m[2]), everyMs: Number(m[3]) }
  if (stall.index >= workers) throw new UsageError(`--stall names listener ${stall.index}, but ${workers === 1 ? 'a cell has only listener 0' : `there are ${workers} (0 to ${workers - 1})`}`)
  if (stall.forMs <= 0 || stall.everyMs <= stall.forMs || stall.everyMs > LIMITS.stallMs) throw new UsageError(`--stall needs 0 < FOR_MS < EVERY_MS <= ${LIMITS.stallMs}`)
  return stall
}

/** The label is one line of printable text (it goes into terminal tables, file names of nobody, and HTML, escaped). */
function label (v: unknown): string {
  const text = String(single('label', v))
  if (text.length > 200) throw new UsageError('--label must be at most 200 characters')
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new UsageError('--label must be one line of printable text (no control characters)')
  return text
}

/** --handler: an existing file, made absolute (against the current folder) so every process loads the same one. */
export function handlerFile (v: unknown): string | null {
  const file = optionalText('handler', v)
  if (file === null) return null
  const abs = path.resolve(file)
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new UsageError(`--handler ${file}: no such file`)
  return abs
}

/** A path-like value, or null when not given. */
function optionalText (name: string, v: unknown): string | null {
  const x = single(name, v)
  if (x === null || x === undefined) return null
  const text = String(x).trim()
  if (text === '' || /[\u0000-\u001f\u007f]/.test(text)) throw new UsageError(`--${name} must be a path, got '${String(x)}'`)
  return text
}


/** The fields that follow from others: the driver, the first cell's size, the stall, the steering, the thresholds. */
function derive (plan: RunPlan, raw: RawOptions): void {
  // With --rate and no --driver: the paced driver, which spreads requests evenly (autocannon's rate comes in per-second bursts).
  // Read from the rate as parsed (2k is 2000), never from the text.
  plan.driver = (raw.driver === undefined ? defaultDriver(plan.rate, plan.protocol) : loadDriver(String(single('driver', raw.driver)))).name
  if (raw.heavyFlows !== undefined) plan.heavyFlows = heavyFlows(raw.heavyFlows, plan)
  if (single('udp-connect', raw.udpConnect) === true) plan.udpConnect = true
  if (raw.udpConnectArms !== undefined) plan.udpConnectArms = udpConnectArms(raw.udpConnectArms, plan)
  if (plan.protocol === 'udp') plan.datagramBytes = integer('datagram-size', raw.datagramBytes ?? DATAGRAM_BYTES.usual, DATAGRAM_BYTES.least, DATAGRAM_BYTES.most)
  plan.workers = plan.sweep.workers[0] ?? plan.workers
  plan.connections = plan.sweep.connections[0] ?? plan.connections
  plan.stall = parseStall(raw.stall, Math.min(...plan.modes.map(m => listenerKind(m).workers ?? Math.min(...plan.sweep.workers))))
  const steer = parseSteer(raw.steer ?? DEFAULT_PLAN.steer, plan.modes)
  plan.steer = steer.steer
  if (Object.keys(steer.steerArms).length > 0) plan.steerArms = steer.steerArms
  if (raw.dumpSteering === true) plan.dumpSteering = true
  plan.failIf = raw.failIf === undefined ? [] : (Array.isArray(raw.failIf) ? raw.failIf.map(String) : [String(raw.failIf)]).map(x => x.trim())
  for (const f of plan.failIf) parseThreshold(f)
}

/** Validates raw options into a plan; throws UsageError naming the option. */
export function buildPlan (raw: RawOptions): RunPlan {
  const d = DEFAULT_PLAN
  const pick = <K extends keyof RunPlan>(k: K): unknown => raw[k] ?? d[k]
  const plan: RunPlan = {
    modes: raw.modes === undefined ? [...d.modes] : parseModes(raw.modes),
    workers: d.workers,
    connections: d.connections,
    durationSec: seconds('duration', pick('durationSec'), 0.1, LIMITS.durationSec),
    warmupSec: seconds('warmup', pick('warmupSec'), 0, LIMITS.warmupSec),
    churn: integer('churn', pick('churn'), 0, LIMITS.churn),
    pipelining: integer('pipelining', pick('pipelining'), 1, LIMITS.pipelining),
    rate: integer('rate', pick('rate'), 0, LIMITS.rate),
    driver: d.driver,
    protocol: oneOfText('protocol', pick('protocol'), PROTOCOLS),
    host: String(single('host', pick('host'))),
    port: integer('port', pick('port'), 0, 65535),
    backlog: integer('backlog', pick('backlog'), 1, LIMITS.backlog),
    pauseSec: seconds('pause', pick('pauseSec'), 0, LIMITS.pauseSec),
    interleave: 'rounds',
    sliceSec: seconds('slice', pick('sliceSec'), 0.2, LIMITS.sliceSec),
    unstable: oneOfText('unstable', pick('unstable'), ['leave-out', 'keep', 'rerun'] as const),
    instrument: single('instrument', pick('instrument')) !== false,
    handler: handlerFile(pick('handler')),
    attribution: single('attribution', pick('attribution')) !== false,
    label: label(pick('label')),
    workUs: integer('work-us', pick('workUs'), 0, LIMITS.workUs),
    stall: null,
    steer: 'none',
    restart: single('restart', pick('restart')) === true,
    restartBusyMs: integer('restart-busy-ms', pick('restartBusyMs'), 0, LIMITS.restartBusyMs),
    trials: integer('trials', pick('trials'), 1, 100),
    precision: null,
    maxTimeSec: raw.maxTimeSec === undefined || raw.maxTimeSec === null ? null : seconds('max-time', raw.maxTimeSec, 10, LIMITS.maxTimeSec),
    sweep: {
      workers: raw.workers === undefined ? [d.workers] : intList('workers', raw.workers, 1, LIMITS.workers),
      connections: raw.connections === undefined ? [d.connections] : intList('connections', raw.connections, 1, LIMITS.connections)
    },
    seed: integer('seed', pick('seed'), 0, 2 ** 31),
    failIf: [],
    clientNetns: single('client-netns', pick('clientNetns')) === true,
    clientAddrs: integer('client-addrs', pick('clientAddrs'), 1, 32),
    clientThreads: integer('client-threads', pick('clientThreads'), 1, LIMITS.clientThreads),
    clientCpus: parseCpuChoice('client-cpus', pick('clientCpus')),
    listenerCpus: parseCpuChoice('listener-cpus', pick('listenerCpus')),
    queueSampleMs: integer('queue-sample-ms', pick('queueSampleMs'), 0, LIMITS.queueSampleMs),
    deadlineScale: integer('deadline-scale', pick('deadlineScale'), 1, LIMITS.deadlineScale),
    node: optionalText('node', pick('node')),
    target: parseTarget(raw.target),
    serverVia: commandText('server-via', raw.serverVia),
    clientVia: viaList(raw.clientVia),
    remoteCommand: commandText('remote-command', raw.remoteCommand)
  }
  derive(plan, raw)
  checkCombinations(plan, raw)
  if (plan.target !== null || plan.serverVia !== null || plan.clientVia.length > 0) overHosts(plan, raw)
  plan.interleave = interleaveOf(plan, raw)
  askedPrecision(plan, raw)
  checkSize(plan)
  return plan
}

/** What a first run asks when it names no length: every pair's req/s ratio within 5%, in at most 3 minutes. */
export const DEFAULT_PRECISION = { precision: 0.05, maxTimeSec: 180 } as const

/** --precision: a share ('5%', 0.05), or 'off'; from 0.1% to 50%. */
function precisionShare (v: unknown): number | null {
  const x = single('precision', v)
  if (x === null || x === 'off' || x === 'none') return null
  const n = typeof x === 'number' ? x : parseShare(String(x))
  if (n === undefined || !Number.isFinite(n)) throw new UsageError(`--precision must be a share of the ratio such as 5% or 0.05, or off, got '${String(x)}'`)
  if (n < 0.001 || n > 0.5) throw new UsageError(`--precision must be from 0.1% to 50% (a share of the ratio: 5% or 0.05), got '${String(x)}'`)
  return n
}

/**
 * --precision and --max-time. Side by side, a plan that names neither a length (--duration, --trials) nor a
 * precision asks DEFAULT_PRECISION, from MIN_ROUNDS rounds on; a plan that names a length gets its planned
 * rounds, and more only with --precision. Cells have no pairs to make precise.
 */
function askedPrecision (plan: RunPlan, raw: RawOptions): void {
  const asked = raw.precision === undefined ? undefined : precisionShare(raw.precision)
  if (plan.interleave !== 'rounds') {
    if (asked !== undefined && asked !== null) throw new UsageError('--precision applies only to modes side by side (--interleave rounds, two modes or more): cells have no paired rounds to make precise')
    return
  }
  const lengthGiven = raw.durationSec !== undefined || raw.trials !== undefined
  if (asked === undefined && lengthGiven) return
  plan.precision = asked === undefined ? DEFAULT_PRECISION.precision : asked
  if (plan.precision !== null && plan.maxTimeSec === null) plan.maxTimeSec = DEFAULT_PRECISION.maxTimeSec
  // With no length named, the least the rule may stop at: MIN_ROUNDS rounds of one slice each.
  if (!lengthGiven && plan.precision !== null) {
    plan.trials = 1
    plan.durationSec = MIN_ROUNDS * plan.sliceSec
  }
}

const INTERLEAVE = ['rounds', 'cells'] as const
const PROTOCOLS = ['tcp', 'udp'] as const

/** One of `values`, named in the message when it is not. */
function oneOfText<T extends string> (name: string, v: unknown, values: readonly T[]): T {
  const text = String(single(name, v))
  if (!(values as readonly string[]).includes(text)) throw new UsageError(`--${name} must be one of ${values.join(', ')}, got '${text}'`)
  return text as T
}

/** What keeps a plan from running its modes side by side: a timeline of its own (stall, restart), or listeners on another host. */
export function cellsOnly (plan: RunPlan): string | undefined {
  if (plan.stall !== null) return 'a stall has a timeline of its own'
  if (plan.restart) return 'a rolling restart has a timeline of its own'
  if (plan.serverVia !== null || plan.clientVia.length > 0 || plan.target !== null) return 'a run over several hosts runs its cells one after another'
  if (anyClassic(plan)) return "classic BPF steering is checked as each cell's listeners stop"
  return undefined
}

/** --interleave: rounds (the default) where the plan has modes to compare and allows it, else cells; rounds asked where it cannot be is refused. */
function interleaveOf (plan: RunPlan, raw: RawOptions): RunPlan['interleave'] {
  const asked = raw.interleave === undefined ? undefined : String(single('interleave', raw.interleave))
  if (asked !== undefined && !(INTERLEAVE as readonly string[]).includes(asked)) throw new UsageError(`--interleave must be one of ${INTERLEAVE.join(', ')}, got '${asked}'`)
  const why = cellsOnly(plan)
  if (asked === 'rounds' && why !== undefined) throw new UsageError(`--interleave rounds cannot run this plan: ${why}; use --interleave cells`)
  if (raw.sliceSec !== undefined && (asked === 'cells' || why !== undefined)) throw new UsageError('--slice applies only with --interleave rounds')
  if (plan.unstable === 'rerun' && (asked === 'cells' || why !== undefined || plan.modes.length < 2)) throw new UsageError('--unstable rerun applies only to modes side by side (--interleave rounds): a round is run again at the end')
  // One mode has nothing to compare side by side: its cells run as always, unless rounds are asked for.
  return (asked as RunPlan['interleave'] | undefined) ?? (why === undefined && plan.modes.length > 1 ? 'rounds' : 'cells')
}
