/**
 * Every document the tests see a run write, read through its published schema by a validator that is
 * not ours (Ajv, draft 2020-12), closed: a field written but not described, or a value outside what the
 * schema says, fails the test that wrote it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { DocumentName } from '../src/schema/index.js'
import { DOCUMENTS, jsonSchemaOf, schemaId } from '../src/schema/index.js'

const ajv = new Ajv2020({ strict: true, allErrors: false })
const NAMES = new Map((Object.keys(DOCUMENTS) as DocumentName[]).map(name => [schemaId(name), name]))
/** Each schema compiled when a document first names it (the result's takes a quarter of a second). */
const validators = new Map<DocumentName, ValidateFunction>()
function validatorOf (name: DocumentName): ValidateFunction {
  let v = validators.get(name)
  if (v === undefined) validators.set(name, v = ajv.compile(jsonSchemaOf(name, true)))
  return v
}

/** The first way `doc` does not fit the closed schema it names, in one line; undefined when it fits (or names none of ours). */
export function schemaMisfit (doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || !('$schema' in doc)) return undefined
  const name = NAMES.get(String(doc.$schema))
  if (name === undefined) return `names a schema that is not ours: ${String(doc.$schema)}`
  const v = { name, check: validatorOf(name) }
  if (v.check(doc)) return undefined
  const e = v.check.errors?.[0]
  return `${v.name}: ${e?.instancePath ?? ''} ${e?.message ?? ''} ${JSON.stringify(e?.params ?? {})}`
}

/** Every JSON document of ours under `dir` (a folder walked to `depth`) written since `since`: the misfits, by file. */
export function misfitsUnder (dir: string, since: number, depth: number): string[] {
  const out: string[] = []
  const walk = (p: string, depth: number): void => {
    let s
    try { s = statSync(p) } catch { return }
    if (s.isDirectory()) {
      let names: string[] = []
      try { names = depth > 0 ? readdirSync(p) : [] } catch { /* not ours to read */ }
      for (const f of names) walk(path.join(p, f), depth - 1)
      return
    }
    if (!p.endsWith('.json') || s.mtimeMs < since) return
    let doc: unknown
    try { doc = JSON.parse(readFileSync(p, 'utf8')) } catch { return }
    const m = schemaMisfit(doc)
    if (m !== undefined) out.push(`${p}: ${m}`)
  }
  walk(dir, depth)
  return out
}
