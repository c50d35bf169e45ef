// The published schemas: written from the shapes the reader checks with (src/schema/), shipped in
// schemas/, valid draft 2020-12 for a validator that is not ours (Ajv), and agreeing with our reader:
// a document one accepts the other accepts, a crafted one both refuse.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { DocumentName } from '../../src/schema/index.js'
import { DOCUMENTS, jsonSchemaOf, schemaFile, schemaId } from '../../src/schema/index.js'
import { toJsonSchema } from '../../src/schema/jsonSchema.js'
import { array, literal, named, nullable, object, oneOf, openObject, optional, misfit, text } from '../../src/shape.js'
import { freebsdFixture } from '../../src/probe/fixture.js'
import { makeDoc, makeRun } from '../fixtures.js'
import { schemaMisfit } from '../schemaCheck.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const NAMES = Object.keys(DOCUMENTS) as DocumentName[]

test('the shipped schemas are the ones the shapes give (npm run schemas writes them)', () => {
  for (const name of NAMES) {
    const shipped = JSON.parse(readFileSync(`${ROOT}/schemas/${schemaFile(name)}`, 'utf8')) as unknown
    assert.deepEqual(shipped, jsonSchemaOf(name), `schemas/${schemaFile(name)} is out of date: npm run schemas`)
  }
})

test('each schema is draft 2020-12 with a stable $id, and compiles in strict mode', () => {
  const ajv = new Ajv2020({ strict: true })
  for (const name of NAMES) {
    const s = jsonSchemaOf(name)
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema')
    assert.equal(s.$id, schemaId(name))
    assert.match(String(s.$id), new RegExp(`/${name}-1\\.schema\\.json$`))
    ajv.compile(s)
  }
})

test('the converter: required and optional fields, nulls, literals, named parts, open objects, text', () => {
  const s = toJsonSchema('urn:x', 't', 'd', object({ a: 'count', b: optional(nullable('number')), c: literal(1), d: named('part', object({ e: oneOf(['x', 'y']) })), f: openObject({}), g: text(5), h: array('string', 2, 1) }), true)
  assert.deepEqual(s.required, ['a', 'c', 'd', 'f', 'g', 'h'])
  assert.equal(s.additionalProperties, false)
  const p = s.properties as Record<string, Record<string, unknown>>
  assert.deepEqual(p.a, { type: 'integer', minimum: 0 })
  assert.deepEqual(p.b, { anyOf: [{ type: 'number' }, { type: 'null' }] })
  assert.deepEqual(p.c, { const: 1 })
  assert.deepEqual(p.d, { $ref: '#/$defs/part' })
  assert.equal((p.f as Record<string, unknown>).additionalProperties, undefined, 'an open object stays open')
  assert.deepEqual(p.h, { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 })
  assert.deepEqual((s.$defs as Record<string, unknown>).part, { type: 'object', properties: { e: { type: 'string', enum: ['x', 'y'] } }, required: ['e'], additionalProperties: false })
})

test('our reader and Ajv agree: the fixtures fit both; each crafted document is refused by both', () => {
  const good = makeDoc([makeRun('reuseport', [1, 2])])
  const freebsd = freebsdFixture()
  for (const doc of [good, freebsd, freebsd.probe]) {
    assert.ok(doc !== undefined)
    assert.equal(misfit(doc, DOCUMENTS[doc.$schema?.includes('probe') === true ? 'probe' : 'result'].shape), undefined)
    assert.equal(schemaMisfit(doc), undefined)
  }
  const crafted: Array<[string, unknown]> = [
    ['a mode that is markup', { ...good, runs: [{ ...good.runs[0], mode: '<img src=x onerror=alert(1)>' }] }],
    ['a negative accept count', { ...good, runs: [{ ...good.runs[0], listeners: [{ ...good.runs[0]?.listeners[0], accepts: -1 }] }] }],
    ['a future version', { ...good, schemaVersion: 2 }],
    ['a steering policy of its own', { ...good, plan: { ...good.plan, steer: 'evil' } }],
    ['a jain that is text', { ...good, runs: [{ ...good.runs[0], fairness: { ...good.runs[0]?.fairness, jain: '1' } }] }]
  ]
  for (const [what, doc] of crafted) {
    const ours = misfit(doc, DOCUMENTS.result.shape)
    assert.ok(ours !== undefined && !ours.includes('\n'), `our reader refuses ${what}`)
    assert.ok(new Ajv2020().validate(jsonSchemaOf('result'), doc) === false, `Ajv refuses ${what}`)
  }
})
