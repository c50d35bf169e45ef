/**
 * The names of the documents the tool writes and where their schemas are published: what a document
 * names in its `$schema`. Data only, so a writer can name its schema without loading any shape.
 */

export type DocumentName = 'result' | 'probe' | 'compare' | 'reproduce'

/** The schema version of each document (its `schemaVersion`). */
export const DOCUMENT_VERSIONS: Readonly<Record<DocumentName, 1>> = { result: 1, probe: 1, compare: 1, reproduce: 1 }

/** Where a schema's `$id` points: the file of that name in the published package. */
const ID_BASE = 'https://unpkg.com/reuseport-bench/schemas/'

/** The file name of a document's schema in the package's schemas/ folder. */
export const schemaFile = (name: DocumentName): string => `${name}-${DOCUMENT_VERSIONS[name]}.schema.json`

/** The `$id` of a document's schema, which the document names in its `$schema`. */
export const schemaId = (name: DocumentName): string => `${ID_BASE}${schemaFile(name)}`
