/**
 * A small checker for documents read back from disk: each field's type and
 * range, named by its path in a one-line failure (`runs[2].port must be a
 * count, got "<meta ...>"`). A result file is data someone may have crafted:
 * what reaches HTML or a file name must be what the type says. Fields a shape
 * does not name are left as they are (older and newer results carry more).
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
  | { array: Shape, max?: number }
  | { record: Shape }
  | { oneOf: readonly string[] }
  | { object: Readonly<Record<string, Shape>> }

export const nullable = (s: Shape): Shape => ({ nullable: s })
export const optional = (s: Shape): Shape => ({ optional: s })
export const array = (s: Shape, max?: number): Shape => (max === undefined ? { array: s } : { array: s, max })
export const record = (s: Shape): Shape => ({ record: s })
export const oneOf = (values: readonly string[]): Shape => ({ oneOf: values })
export const object = (fields: Readonly<Record<string, Shape>>): Shape => ({ object: fields })

/** A value as a failure shows it: JSON, at most 60 characters. */
function shown (v: unknown): string {
  const text = JSON.stringify(v) ?? String(v)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
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

/** The first field of `v` that does not fit `shape`, as '<path> must be ..., got ...'; undefined when all fit. */
export function misfit (v: unknown, shape: Shape, at = ''): string | undefined {
  const bad = (what: string): string => `${at === '' ? 'the document' : at} must be ${what}, got ${shown(v)}`
  if (typeof shape === 'string') {
    const [ok, what] = SCALARS[shape] ?? SCALARS.any ?? [() => true, '']
    return ok(v) ? undefined : bad(what)
  }
  if ('optional' in shape) return v === undefined ? undefined : misfit(v, shape.optional, at)
  if ('nullable' in shape) return v === null ? undefined : misfit(v, shape.nullable, at)
  if ('oneOf' in shape) return typeof v === 'string' && shape.oneOf.includes(v) ? undefined : bad(`one of ${shape.oneOf.join(', ')}`)
  if ('array' in shape) {
    if (!Array.isArray(v)) return bad('a list')
    if (shape.max !== undefined && v.length > shape.max) return `${at} has ${v.length} entries; at most ${shape.max} are read`
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
