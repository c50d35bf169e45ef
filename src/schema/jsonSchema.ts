/**
 * A shape (src/shape.ts) written out as JSON Schema, draft 2020-12: the published form of the one
 * description the tool itself checks documents with. Named shapes go to `$defs` once and are referred to
 * by `$ref`. `closed` forbids fields a shape does not name (except where it is marked open): the tests
 * read every document a run writes that way, so a field written but not described fails; the published
 * schemas are open, as the reader is (older and newer documents carry more).
 */
import type { Shape } from '../shape.js'

export type JsonSchema = Record<string, unknown>

const DIALECT = 'https://json-schema.org/draft/2020-12/schema'

/** The pattern of one line of printable text (no control characters), as `text` shapes check it. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$'

const SCALARS: Record<string, JsonSchema> = {
  number: { type: 'number' },
  count: { type: 'integer', minimum: 0 },
  integer: { type: 'integer' },
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  any: {}
}

class Writer {
  readonly defs = new Map<string, JsonSchema>()
  private readonly shapes = new Map<string, Shape>()
  constructor (private readonly closed: boolean) {}

  write (shape: Shape): JsonSchema {
    if (typeof shape === 'string') return { ...(SCALARS[shape] ?? {}) }
    if ('optional' in shape) return this.write(shape.optional)
    if ('def' in shape) return this.ref(shape.def, shape.shape)
    if ('literal' in shape) return { const: shape.literal }
    if ('nullable' in shape) return { anyOf: [this.write(shape.nullable), { type: 'null' }] }
    if ('either' in shape) return { anyOf: shape.either.map(s => this.write(s)) }
    if ('oneOf' in shape) return { type: 'string', enum: [...shape.oneOf] }
    if ('int' in shape) return { type: 'integer', minimum: shape.int[0], maximum: shape.int[1] }
    if ('num' in shape) return { type: 'number', [shape.above === true ? 'exclusiveMinimum' : 'minimum']: shape.num[0], maximum: shape.num[1] }
    if ('text' in shape) return { type: 'string', maxLength: shape.text, pattern: PRINTABLE }
    if ('tag' in shape) return this.tagged(shape.tag, shape.cases)
    if ('array' in shape) {
      return { type: 'array', items: this.write(shape.array), ...(shape.min === undefined ? {} : { minItems: shape.min }), ...(shape.max === undefined ? {} : { maxItems: shape.max }) }
    }
    if ('record' in shape) return { type: 'object', additionalProperties: this.write(shape.record) }
    return this.object(shape.object, 'open' in shape)
  }

  private object (fields: Readonly<Record<string, Shape>>, open: boolean): JsonSchema {
    const properties: Record<string, JsonSchema> = {}
    const required: string[] = []
    for (const [k, s] of Object.entries(fields)) {
      properties[k] = this.write(s)
      if (typeof s === 'string' ? s !== 'any' : !('optional' in s)) required.push(k)
    }
    return { type: 'object', properties, ...(required.length === 0 ? {} : { required }), ...(this.closed && !open ? { additionalProperties: false } : {}) }
  }

  /** One case per value of the tag: the case's own fields, with the tag fixed. */
  private tagged (tag: string, cases: Readonly<Record<string, Shape>>): JsonSchema {
    return {
      type: 'object',
      required: [tag],
      properties: { [tag]: { enum: Object.keys(cases) } },
      allOf: Object.entries(cases).map(([value, s]) => ({ if: { properties: { [tag]: { const: value } } }, then: this.write(s) }))
    }
  }

  private ref (name: string, shape: Shape): JsonSchema {
    const known = this.shapes.get(name)
    if (known !== undefined && known !== shape) throw new Error(`two shapes are named ${name}`)
    if (known === undefined) {
      this.shapes.set(name, shape)
      this.defs.set(name, {}) // taken before it is written, so a shape may name itself
      this.defs.set(name, this.write(shape))
    }
    return { $ref: `#/$defs/${name}` }
  }
}

/** The published schema of a document: `$id`, a title, a description and the document's shape. */
export function toJsonSchema (id: string, title: string, description: string, shape: Shape, closed = false): JsonSchema {
  const w = new Writer(closed)
  const body = w.write(shape)
  const defs = Object.fromEntries([...w.defs.entries()].sort(([a], [b]) => a.localeCompare(b)))
  return { $schema: DIALECT, $id: id, title, description, ...body, ...(w.defs.size === 0 ? {} : { $defs: defs }) }
}
