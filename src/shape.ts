/**
 * A small checker for data from outside: documents read back from disk, and
 * every message a process receives (a listener's configuration, a remote
 * side's requests). Each field's type and range, named by its path in a
 * one-line failure (`runs[2].port must be a count, got "<meta ...>"`). A
 * result file or a control line is data someone may have crafted: what
 * reaches HTML, a file name or a socket must be what the type says. Fields a
 * shape does not name are left as they are (older and newer results carry more).
 */

export type Shape =
  | 'number' // a finite number
  | 'count' // a non-negative integer
  | 'integer'
  | 'string'
  | 'boolean'
  | 'any'
  | { nullable: Shape }
  | { optional: Shape }
  | { array: Shape, max?: number, min?: number }
  | { record: Shape }
  /** One of these values; `said`, how a failure names them when the list is long (the owner of the list knows). */
  | { oneOf: readonly string[], said?: string }
  | { object: Readonly<Record<string, Shape>> }
  /** A whole number from min to max. */
  | { int: readonly [number, number] }
  /** A finite number from min to max; `above` excludes min itself. */
  | { num: readonly [number, number], above?: true }
  /** One line of printable text of at most `text` characters. */
  | { text: number }
  /** An object whose `tag` field names which of `cases` it is. */
  | { tag: string, cases: Readonly<Record<string, Shape>> }
  /** Any one of these shapes (the first that fits). */
  | { either: readonly Shape[] }
  /** Exactly this value. */
  | { literal: string | number | boolean }
  /** A shape with a name, published once under the schema's $defs and referred to by it. */
  | { def: string, shape: Shape }
  /** An object whose fields are not all described: the published schema allows fields it does not name even where it is closed. */
  | { object: Readonly<Record<string, Shape>>, open: true }

export const nullable = (s: Shape): Shape => ({ nullable: s })
export const optional = (s: Shape): Shape => ({ optional: s })
export const array = (s: Shape, max?: number, min?: number): Shape => ({ array: s, ...(max === undefined ? {} : { max }), ...(min === undefined ? {} : { min }) })
export const record = (s: Shape): Shape => ({ record: s })
export const oneOf = (values: readonly string[], said?: string): Shape => ({ oneOf: values, ...(said === undefined ? {} : { said }) })
export const object = (fields: Readonly<Record<string, Shape>>): Shape => ({ object: fields })
export const int = (min: number, max: number): Shape => ({ int: [min, max] })
export const num = (min: number, max: number): Shape => ({ num: [min, max] })
/** A number above `min` (not equal to it) and at most `max`. */
export const above = (min: number, max: number): Shape => ({ num: [min, max], above: true })
export const text = (max: number): Shape => ({ text: max })
export const tagged = (tag: string, cases: Readonly<Record<string, Shape>>): Shape => ({ tag, cases })
export const either = (...shapes: Shape[]): Shape => ({ either: shapes })
export const literal = (value: string | number | boolean): Shape => ({ literal: value })
export const named = (name: string, shape: Shape): Shape => ({ def: name, shape })
export const openObject = (fields: Readonly<Record<string, Shape>>): Shape => ({ object: fields, open: true })

/** The names of the fields of `v` (an object) that do not fit their shapes, in the table's order. */
export function failingFields (v: Record<string, unknown>, fields: Readonly<Record<string, Shape>>): string[] {
  return Object.entries(fields).filter(([k, s]) => misfit(v[k], s, k) !== undefined).map(([k]) => k)
}


/** A value as a failure shows it: JSON, at most 60 characters. */
function shown (v: unknown): string {
  const text = JSON.stringify(v) ?? String(v)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** Allowed values as a failure names them: all of a short list, the first few of a long one. */
function listed (values: readonly string[]): string {
  return values.length <= 16 ? values.join(', ') : `${values.slice(0, 12).join(', ')}, ... (${values.length} names)`
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const SCALARS: Record<string, [(v: unknown) => boolean, string]> = {
  number: [v => typeof v === 'number' && Number.isFinite(v), 'a number'],
  count: [v => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, 'a count (a whole number, 0 or more)'],
  integer: [v => typeof v === 'number' && Number.isSafeInteger(v), 'a whole number'],
  string: [v => typeof v === 'string', 'text'],
  boolean: [v => typeof v === 'boolean', 'true or false'],
  any: [() => true, 'anything']
}

const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/

/** A number or a text within its limits. */
function bounded (v: unknown, shape: Shape, bad: (what: string) => string): string | undefined {
  if (typeof shape !== 'object') return undefined
  if ('int' in shape) {
    const [min, max] = shape.int
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? undefined : bad(`a whole number from ${min} to ${max}`)
  }
  if ('num' in shape) {
    const [min, max] = shape.num
    const low = shape.above === true ? (x: number) => x > min : (x: number) => x >= min
    return typeof v === 'number' && Number.isFinite(v) && low(v) && v <= max ? undefined : bad(`a number ${shape.above === true ? 'above' : 'from'} ${min} ${shape.above === true ? 'and at most' : 'to'} ${max}`)
  }
  if ('text' in shape) return typeof v === 'string' && v.length <= shape.text && PRINTABLE.test(v) ? undefined : bad(`one line of at most ${shape.text} printable characters`)
  return undefined
}

/** `v[key]` when `v` is an object, else undefined: a field of data from outside, read without asserting its type. */
export function fieldOf (v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null ? Reflect.get(v, key) : undefined
}

/** The first field of `v` that does not fit `shape`, as '<path> must be ..., got ...'; undefined when all fit. */
export function misfit (v: unknown, shape: Shape, at = ''): string | undefined {
  const bad = (what: string): string => `${at === '' ? 'the document' : at} must be ${what}, got ${shown(v)}`
  if (typeof shape === 'string') {
    const [ok, what] = SCALARS[shape] ?? SCALARS.any ?? [() => true, '']
    return ok(v) ? undefined : bad(what)
  }
  if ('optional' in shape) return v === undefined ? undefined : misfit(v, shape.optional, at)
  if ('def' in shape) return misfit(v, shape.shape, at)
  if ('literal' in shape) return v === shape.literal ? undefined : bad(JSON.stringify(shape.literal))
  if ('int' in shape || 'num' in shape || 'text' in shape) return bounded(v, shape, bad)
  if ('tag' in shape) {
    const c = isObject(v) && typeof v[shape.tag] === 'string' ? shape.cases[v[shape.tag] as string] : undefined
    if (c === undefined) return bad(`an object whose ${shape.tag} is one of ${Object.keys(shape.cases).join(', ')}`)
    return misfit(v, c, at)
  }
  if ('nullable' in shape) return v === null ? undefined : misfit(v, shape.nullable, at)
  if ('either' in shape) {
    const misses = shape.either.map(s => misfit(v, s, at))
    return misses.some(m => m === undefined) ? undefined : misses[0]
  }
  if ('oneOf' in shape) return typeof v === 'string' && shape.oneOf.includes(v) ? undefined : bad(`one of ${shape.said ?? listed(shape.oneOf)}`)
  if ('array' in shape) {
    if (!Array.isArray(v)) return bad('a list')
    if (shape.max !== undefined && v.length > shape.max) return `${at} has ${v.length} entries; at most ${shape.max} are read`
    if (shape.min !== undefined && v.length < shape.min) return `${at} has ${v.length} entries; at least ${shape.min} are needed`
    for (let i = 0; i < v.length; i++) {
      const m = misfit(v[i], shape.array, `${at}[${i}]`)
      if (m !== undefined) return m
    }
    return undefined
  }
  if (!isObject(v)) return bad('an object')
  if ('record' in shape) {
    for (const [k, x] of Object.entries(v)) {
      const m = misfit(x, shape.record, `${at}.${k}`)
      if (m !== undefined) return m
    }
    return undefined
  }
  for (const [k, s] of Object.entries(shape.object)) {
    const m = misfit(v[k], s, at === '' ? k : `${at}.${k}`)
    if (m !== undefined) return m
  }
  return undefined
}
