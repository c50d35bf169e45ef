/**
 * Control requests as they arrive on a remote side's stdin, checked field by field before anything is
 * done with them: the typed request, or one line saying what is wrong. A request names an operation
 * from a fixed list and plain values within the run's limits (limits.ts, the same the plan and a
 * listener's configuration are held to); each message is one field table (shape.ts). This module has
 * what every side's check shares; each side's own requests are checked beside it (topology/serverCheck.ts,
 * load/requestCheck.ts), so that the names a request may use come from that side's registry.
 */
import type { Shape } from '../shape.js'
import { failingFields } from '../shape.js'

export type Obj = Record<string, unknown>
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x)

/** The message typed, or '<what>: bad or missing <every failing field>'. */
export function checked<T> (what: string, x: Obj, fields: Record<string, Shape>): T | string {
  const bad = failingFields(x, fields)
  return bad.length === 0 ? x as T : `${what}: bad or missing ${bad.join(', ')}`
}

/** A request every side takes, checked; undefined when `op` is not one of them. */
export function checkCommon (x: Obj): { op: 'hello' | 'clock' | 'status' } | undefined {
  return x.op === 'hello' || x.op === 'clock' || x.op === 'status' ? { op: x.op } : undefined
}

export function unknownOp (x: unknown, ops: readonly string[]): string {
  const op = isObj(x) ? x.op : undefined
  return `unknown operation ${typeof op === 'string' ? `'${op.slice(0, 40)}'` : '(none)'}; this side takes ${ops.join(', ')}`
}
