/**
 * Control requests as they arrive on a remote side's stdin, checked field by
 * field before anything is done with them: the typed request, or one line
 * saying what is wrong. A request names an operation from a fixed list and
 * plain values within the run's limits; the one path that leads to code, a
 * handler, is loaded only if the side's own command line named that file
 * (topology/serverSide.ts), so the control stream widens nothing.
 */
import { LIMITS } from '../plan/validate.js'
import { LOAD_DRIVERS } from '../load/drivers/index.js'
import { MODES } from '../topology/kinds/index.js'
import type { LoadSpec } from '../types/load.js'
import type { LoadControlRequest, RemoteListenerSpec, ServerRequest } from '../types/remote.js'

type Obj = Record<string, unknown>
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x)
const intIn = (x: unknown, min: number, max: number): x is number => Number.isInteger(x) && (x as number) >= min && (x as number) <= max
const numIn = (x: unknown, min: number, max: number): x is number => typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max
const text = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length <= max && !/[\u0000-\u001f\u007f]/.test(x)
const optional = (x: unknown, ok: (v: unknown) => boolean): boolean => x === undefined || ok(x)
const WITHIN_MS = 600_000

/** Every field that fails, as 'name'; empty when all hold. */
function failing (checks: Record<string, boolean>): string[] {
  return Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k)
}

function verdict<T> (what: string, bad: string[], value: T): T | string {
  return bad.length === 0 ? value : `${what}: bad or missing ${bad.join(', ')}`
}

export function checkListenerSpec (x: unknown): RemoteListenerSpec | string {
  if (!isObj(x)) return 'start: listeners must be an object'
  const stall = x.stall
  const steer = x.steer
  return verdict('start', failing({
    mode: typeof x.mode === 'string' && MODES.includes(x.mode),
    workers: intIn(x.workers, 1, LIMITS.workers),
    host: text(x.host, 64),
    port: intIn(x.port, 0, 65535),
    backlog: intIn(x.backlog, 1, LIMITS.backlog),
    instrument: typeof x.instrument === 'boolean',
    workUs: intIn(x.workUs, 0, 1_000_000),
    label: text(x.label, 300),
    stall: optional(stall, s => isObj(s) && intIn(s.index, 0, LIMITS.workers) && numIn(s.forMs, 0, 60_000) && numIn(s.everyMs, 0, 60_000)),
    steer: optional(steer, s => isObj(s) && ((s.kind === 'cpu' && intIn(s.groupSize, 1, LIMITS.workers)) || (s.kind === 'index' && intIn(s.index, 0, LIMITS.workers)))),
    handler: optional(x.handler, v => text(v)),
    attribution: optional(x.attribution, v => typeof v === 'boolean'),
    cpus: optional(x.cpus, v => Array.isArray(v) && v.length > 0 && v.length <= 4096 && v.every(c => intIn(c, 0, 4095)))
  }), x as unknown as RemoteListenerSpec)
}

export function checkLoadSpec (x: unknown): LoadSpec | string {
  if (!isObj(x)) return 'load: spec must be an object'
  return verdict('load', failing({
    driver: typeof x.driver === 'string' && LOAD_DRIVERS.some(d => d.name === x.driver),
    host: text(x.host, 64),
    port: intIn(x.port, 1, 65535),
    connections: intIn(x.connections, 1, LIMITS.connections),
    durationSec: numIn(x.durationSec, 0.1, LIMITS.durationSec),
    churn: intIn(x.churn, 0, LIMITS.churn),
    rate: intIn(x.rate, 0, LIMITS.rate),
    threads: optional(x.threads, v => intIn(v, 1, 64))
  }), x as unknown as LoadSpec)
}

/** A request every side takes, checked; undefined when `op` is not one of them. */
function checkCommon (x: Obj): { op: 'hello' | 'clock' | 'status' } | undefined {
  return x.op === 'hello' || x.op === 'clock' || x.op === 'status' ? { op: x.op } : undefined
}

const SERVER_OPS = ['hello', 'clock', 'status', 'start', 'stats', 'reset', 'sample', 'samples', 'stop']
const LOAD_OPS = ['hello', 'clock', 'status', 'load']

function unknownOp (x: unknown, ops: readonly string[]): string {
  const op = isObj(x) ? x.op : undefined
  return `unknown operation ${typeof op === 'string' ? `'${op.slice(0, 40)}'` : '(none)'}; this side takes ${ops.join(', ')}`
}

export function checkServerRequest (x: unknown): ServerRequest | string {
  if (!isObj(x)) return unknownOp(x, SERVER_OPS)
  const common = checkCommon(x)
  if (common !== undefined) return common
  const within = intIn(x.withinMs, 1, WITHIN_MS)
  switch (x.op) {
    case 'start': {
      if (!within) return 'start: bad or missing withinMs'
      const listeners = checkListenerSpec(x.listeners)
      return typeof listeners === 'string' ? listeners : { op: 'start', listeners, withinMs: x.withinMs as number }
    }
    case 'stats':
    case 'reset':
    case 'stop':
      return within ? { op: x.op, withinMs: x.withinMs as number } : `${x.op}: bad or missing withinMs`
    case 'sample':
      return intIn(x.sampleMs, 0, 10_000) ? { op: 'sample', sampleMs: x.sampleMs as number } : 'sample: bad or missing sampleMs'
    case 'samples':
      return { op: 'samples' }
    default:
      return unknownOp(x, SERVER_OPS)
  }
}

export function checkLoadRequest (x: unknown): LoadControlRequest | string {
  if (!isObj(x)) return unknownOp(x, LOAD_OPS)
  const common = checkCommon(x)
  if (common !== undefined) return common
  if (x.op !== 'load') return unknownOp(x, LOAD_OPS)
  const spec = checkLoadSpec(x.spec)
  if (typeof spec === 'string') return spec
  const addrs = x.sourceAddresses
  if (!Array.isArray(addrs) || addrs.length > 64 || !addrs.every(a => text(a, 64))) return 'load: bad or missing sourceAddresses'
  if (!numIn(x.startAtMs, 0, Number.MAX_SAFE_INTEGER)) return 'load: bad or missing startAtMs'
  return { op: 'load', spec, sourceAddresses: addrs as string[], startAtMs: x.startAtMs as number }
}
