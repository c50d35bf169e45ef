/**
 * A client host's control requests (run --client-via starts `load --control stdio` there), checked
 * field by field (remote/check.ts): a load names a driver of this side's registry.
 */
import { DATAGRAM_BYTES, FIELDS, LIMITS } from '../limits.js'
import { checkCommon, checked, isObj, unknownOp } from '../remote/check.js'
import { array, int, num, object, oneOf, optional, text } from '../shape.js'
import type { Shape } from '../shape.js'
import type { LoadSpec } from '../types/load.js'
import type { LoadControlRequest } from '../types/remote.js'
import { LOAD_DRIVERS } from './drivers/index.js'

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
  threads: optional(int(1, LIMITS.clientThreads)),
  datagramBytes: optional(int(DATAGRAM_BYTES.least, DATAGRAM_BYTES.most)),
  heavy: optional(object({ flows: int(1, LIMITS.connections), share: num(0, 1) }))
}

export function checkLoadSpec (x: unknown): LoadSpec | string {
  return isObj(x) ? checked<LoadSpec>('load', x, LOAD_SPEC) : 'load: spec must be an object'
}

const LOAD_OPS = ['hello', 'clock', 'status', 'load']

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
