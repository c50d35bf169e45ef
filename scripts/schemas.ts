// npm run schemas: writes each document's published JSON Schema (src/schema/) into schemas/, which
// ships in the package; test/unit/schema.test.ts fails while a shipped schema differs from its shape.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DocumentName } from '../src/schema/index.js'
import { DOCUMENTS, jsonSchemaOf, schemaFile } from '../src/schema/index.js'

const dir = fileURLToPath(new URL('../../schemas', import.meta.url))
mkdirSync(dir, { recursive: true })
for (const name of Object.keys(DOCUMENTS) as DocumentName[]) {
  const file = path.join(dir, schemaFile(name))
  writeFileSync(file, JSON.stringify(jsonSchemaOf(name), null, 2) + '\n')
  console.log(`wrote ${path.relative(process.cwd(), file)}`)
}
