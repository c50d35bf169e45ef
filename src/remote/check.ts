/**
 * Control requests as they arrive on a remote side's stdin, checked field by
 * field before anything is done with them: the typed request, or one line
 * saying what is wrong. A request names an operation from a fixed list and
 * plain values within the run's limits (plan/limits.ts, the same the plan and
 * a listener's configuration are held to); each message is one field table
 * (shape.ts). The one path that leads to code, a handler, is loaded only if
 * the side's own command line named that file (topology/serverSide.ts), so
 * the control stream widens nothing.
 */
import { FIELDS, LIMITS } from '../limits.js'
import { LOAD_DRIVERS } from '../load/drivers/index.js'
import { MODES } from '../topology/kinds/index.js'
import { array, failingFields, int, num, oneOf, optional, text } from '../shape.js'
import type { Shape } from '../shape.js'
import type { LoadSpec } from '../types/load.js'
import type { LoadControlRequest, RemoteListenerSpec, ServerRequest } from '../types/remote.js'

type Obj = Record<string, unknown>
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x)

/** `start`'s listeners: a group as the server host is to start it. */
const LISTENER_SPEC: Record<string, Shape> = {
  mode: oneOf(MODES),
  workers: FIELDS.workers,
  host: FIELDS.host,
  port: FIELDS.port,
  backlog: FIELDS.backlog,
  instrument: 'boolean',
  workUs: FIELDS.workUs,
  label: FIELDS.label,
  stall: optional(FIELDS.groupStall),
  steer: optional(FIELDS.steer),
  handler: optional(FIELDS.path),
  attribution: optional('boolean'),
  cpus: optional(FIELDS.cpus)
}

/** `load`'s spec: one client host's share of a cell's load. */
const LOAD_SPEC: Record<string, Shape> = {
  driver: oneOf(LOAD_DRIVERS.map(d => d.name)),
  host: FIELDS.host,
  port: int(1, 65535),
  connections: int(1, LIMITS.connections),
  durationSec: num(0.1, LIMITS.durationSec),
  churn: int(0, LIMITS.churn),
  pipelining: optional(int(1, LIMITS.pipelining)),
  rate: int(0, LIMITS.rate),
  threads: optional(int(1, LIMITS.clientThreads))
}

/** The message typed, or '<what>: bad or missing <every failing field>'. */
function checked<T> (what: string, x: Obj, fields: Record<string, Shape>): T | string {
  const bad = failingFields(x, fields)
  return bad.length === 0 ? x as T : `${what}: bad or missing ${bad.join(', ')}`
}

export function checkListenerSpec (x: unknown): RemoteListenerSpec | string {
  return isObj(x) ? checked<RemoteListenerSpec>('start', x, LISTENER_SPEC) : 'start: listeners must be an object'
}

export function checkLoadSpec (x: unknown): LoadSpec | string {
  return isObj(x) ? checked<LoadSpec>('load', x, LOAD_SPEC) : 'load: spec must be an object'
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
  switch (x.op) {
    case 'start': {
      const within = checked<{ withinMs: number }>('start', x, { withinMs: FIELDS.withinMs })
      if (typeof within === 'string') return within
      const listeners = checkListenerSpec(x.listeners)
      return typeof listeners === 'string' ? listeners : { op: 'start', listeners, withinMs: within.withinMs }
    }
    case 'stats':
    case 'reset':
    case 'stop': {
      const within = checked<{ withinMs: number }>(x.op, x, { withinMs: FIELDS.withinMs })
      return typeof within === 'string' ? within : { op: x.op, withinMs: within.withinMs }
    }
    case 'sample': {
      const s = checked<{ sampleMs: number }>('sample', x, { sampleMs: int(0, LIMITS.queueSampleMs) })
      return typeof s === 'string' ? s : { op: 'sample', sampleMs: s.sampleMs }
    }
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
  const rest = checked<{ sourceAddresses: string[], startAtMs: number }>('load', x, { sourceAddresses: array(text(LIMITS.hostText), 64), startAtMs: num(0, Number.MAX_SAFE_INTEGER) })
  return typeof rest === 'string' ? rest : { op: 'load', spec, sourceAddresses: rest.sourceAddresses, startAtMs: rest.startAtMs }
}
