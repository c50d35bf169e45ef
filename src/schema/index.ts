/**
 * Every document the tool writes, described once: its shape (what `report` and `compare` check on
 * reading it back) and, from that shape, its published JSON Schema (draft 2020-12) under a stable `$id`.
 * The schemas ship in the package's schemas/ folder (written by `npm run schemas`; a test holds them
 * equal to these shapes). Every document names its schema (`$schema`) and its `schemaVersion`.
 */
import type { Shape } from '../shape.js'
import { compare } from './compare.js'
import type { JsonSchema } from './jsonSchema.js'
import { toJsonSchema } from './jsonSchema.js'
import { probe } from './probe.js'
import { reproduce } from './reproduce.js'
import { result } from './result.js'

import type { DocumentName } from '../types/schemaIds.js'
import { schemaFile, schemaId } from '../types/schemaIds.js'

export type { DocumentName }
export { schemaFile, schemaId }

export interface DocumentSchema {
  name: DocumentName
  /** The document's usual file name. */
  file: string
  title: string
  description: string
  shape: Shape
}

/** Each document's version is DOCUMENT_VERSIONS' (ids.ts). */
export const DOCUMENTS: Readonly<Record<DocumentName, DocumentSchema>> = {
  result: { name: 'result', file: 'result.json', title: 'reuseport-bench result', description: 'One run: the plan, the host, every run record (a mode at one size and trial: its listeners, its client, their accounting) and what was worked out from them.', shape: result },
  probe: { name: 'probe', file: 'probe.json', title: 'reuseport-bench probe', description: "The source article's SO_REUSEADDR x SO_REUSEPORT bind/listen matrix as this host answered it, extra rows, and which listener accepted each sequential connection.", shape: probe },
  compare: { name: 'compare', file: 'compare.json', title: 'reuseport-bench compare', description: 'Results side by side: their plans\' differences, and each cell\'s medians in every result with its ratios to the first.', shape: compare },
  reproduce: { name: 'reproduce', file: 'reproduce.json', title: 'reuseport-bench reproduce', description: 'Published studies against this host: each claim, what was measured and what each check found.', shape: reproduce }
}

/** A document's published schema; `closed` also forbids fields it does not describe (the tests read written documents so). */
export function jsonSchemaOf (name: DocumentName, closed = false): JsonSchema {
  const d = DOCUMENTS[name]
  return toJsonSchema(schemaId(name), d.title, d.description, d.shape, closed)
}
