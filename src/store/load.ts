/**
 * Reading result and probe documents back from disk, refusing anything
 * truncated, oversized, or not fitting its published schema (src/schema/: the
 * first failing field by its path) with a one-line message.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { errnoCode, UsageError } from '../errors.js'
import type { ResultDoc } from '../types/docs.js'
import type { ProbeDoc } from '../types/probe.js'
import type { DocumentName } from '../schema/index.js'
import { DOCUMENTS, schemaFile } from '../schema/index.js'
import { fieldOf, misfit } from '../shape.js'
import { decodeHistogram } from '../collect/histogram.js'
import { inertStrings } from '../inert.js'
import { baselineMode } from '../topology/kinds/index.js'

/** The largest document read, bytes: a result of 1,000 runs is about 25 MB. */
export const MAX_DOC_BYTES = 64 * 1024 * 1024

/** At most MAX_DOC_BYTES of `file`, read in pieces (a device such as /dev/zero has no size to check first); more is refused. */
function readCapped (file: string): string {
  const fd = openSync(file, 'r')
  try {
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const buf = Buffer.alloc(1024 * 1024)
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      total += n
      if (total > MAX_DOC_BYTES) throw new UsageError(`${file} is over ${MAX_DOC_BYTES / 1024 / 1024} MiB: not a result this tool writes`, 'RB_BAD_RESULT')
      chunks.push(buf.subarray(0, n))
    }
    return Buffer.concat(chunks).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

function readJson (file: string): unknown {
  let text: string
  try {
    text = readCapped(file)
  } catch (err) {
    if (err instanceof UsageError) throw err
    const code = errnoCode(err)
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err)}`, 'RB_BAD_RESULT')
  }
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed
  } catch {
    throw new UsageError(`${file} is not valid JSON (truncated or not a result file)`, 'RB_BAD_RESULT')
  }
}

/** Fields that hold encoded data, left as they are when a document's strings are made inert. */
const ENCODED: ReadonlySet<string> = new Set(['histogram', 'serverHistogram'])


function isObject (x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/** Every encoded histogram of the runs, each with its field's path. */
function histogramsOf (runs: readonly unknown[]): Array<[string, unknown]> {
  const list = (v: unknown): unknown[] => Array.isArray(v) ? v : []
  return runs.flatMap((r, i): Array<[string, unknown]> => {
    const client = fieldOf(r, 'client')
    return [
      [`runs[${i}].serverHistogram`, fieldOf(r, 'serverHistogram')],
      [`runs[${i}].client.histogram`, fieldOf(client, 'histogram')],
      ...list(fieldOf(r, 'listeners')).map((l, j): [string, unknown] => [`runs[${i}].listeners[${j}].histogram`, fieldOf(l, 'histogram')]),
      ...list(fieldOf(client, 'byListener')).flatMap((b, j): Array<[string, unknown]> => fieldOf(b, 'histogram') === undefined ? [] : [[`runs[${i}].client.byListener[${j}].histogram`, fieldOf(b, 'histogram')]])
    ]
  })
}

/** The first histogram that does not decode (its field and the decoder's reason), before any report reads it. */
function brokenHistogram (runs: readonly unknown[]): { field: string, why: string } | undefined {
  for (const [field, v] of histogramsOf(runs)) {
    if (typeof v !== 'string') continue // the shape check has said what a missing field is
    try {
      decodeHistogram(v).destroy()
    } catch (err) {
      return { field, why: (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '' }
    }
  }
  return undefined
}

/** Another kind of document than the one asked for, named in a way that says what to do with it. */
function otherKind (doc: unknown, want: DocumentName): string | undefined {
  const kind = isObject(doc) ? doc.kind ?? 'result' : undefined
  if (kind === want || typeof kind !== 'string' || !(kind in DOCUMENTS)) return undefined
  return kind === 'probe' ? 'a probe result; pass it with --probe' : `a ${kind} document, not a ${want}`
}

/** The document in `file` as its schema describes it; a misfit is refused with its first failing field, one line. */
function checked (file: string, want: DocumentName): Record<string, unknown> {
  const doc = readJson(file)
  const other = otherKind(doc, want)
  if (other !== undefined) throw new UsageError(`${file} is ${other}`, 'RB_BAD_RESULT')
  const wrong = misfit(doc, DOCUMENTS[want].shape)
  if (wrong !== undefined || !isObject(doc)) throw new UsageError(`${file} is not a ${want} this tool can read (${schemaFile(want)}): ${wrong ?? 'not an object'}`, 'RB_BAD_RESULT')
  return doc
}

/** Loads a run result (result.json); throws UsageError for anything else. */
export function loadResult (file: string): ResultDoc {
  const doc = checked(file, 'result')
  const broken = brokenHistogram(Array.isArray(doc.runs) ? doc.runs : [])
  if (broken !== undefined) throw new UsageError(`${file} is not a result this tool can read: ${broken.field} is not an encoded histogram (${broken.why})`, 'RB_BAD_RESULT')
  inertStrings(doc, ENCODED) // a label or message with terminal escapes is shown, never obeyed
  if (doc.baseline === undefined) doc.baseline = baselineMode() // a result from before the field existed: the registry's baseline, the same kind since the first result
  const plan = isObject(doc.plan) ? doc.plan : {}
  if (plan.interleave === undefined) plan.interleave = 'cells' // before modes ran side by side
  if (plan.unstable === undefined) plan.unstable = 'keep' // before the host was checked
  return doc as unknown as ResultDoc
}

/** Loads a probe result (probe.json). */
export function loadProbe (file: string): ProbeDoc {
  return inertStrings(checked(file, 'probe')) as unknown as ProbeDoc
}
