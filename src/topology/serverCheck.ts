/**
 * A server host's control requests (run --server-via starts `serve --control stdio` there), checked
 * field by field (remote/check.ts): the listeners a `start` asks for name a mode of this side's
 * registry. The one path that leads to code, a handler, is loaded only if the side's own command line
 * named that file (serverSide.ts), so the control stream widens nothing.
 */
import { FIELDS, LIMITS } from '../limits.js'
import { checkCommon, checked, isObj, unknownOp } from '../remote/check.js'
import { int, oneOf, optional } from '../shape.js'
import type { Shape } from '../shape.js'
import type { RemoteListenerSpec, ServerRequest } from '../types/remote.js'
import { MODES } from './kinds/index.js'

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

export function checkListenerSpec (x: unknown): RemoteListenerSpec | string {
  return isObj(x) ? checked<RemoteListenerSpec>('start', x, LISTENER_SPEC) : 'start: listeners must be an object'
}

const SERVER_OPS = ['hello', 'clock', 'status', 'start', 'stats', 'reset', 'sample', 'samples', 'stop']

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
