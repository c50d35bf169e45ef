/**
 * Reading result and probe documents back from disk, refusing anything
 * truncated, oversized, of another schema or with a field of the wrong type or
 * range (store/resultShape.ts) with a one-line message.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { UsageError } from '../errors.js'
import type { ProbeDoc, ResultDoc } from '../types/docs.js'
import { PROBE, RESULT } from './resultShape.js'
import { misfit } from '../shape.js'
import { decodeHistogram } from '../collect/histogram.js'
import { inertStrings } from '../inert.js'

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
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err)}`, 'RB_BAD_RESULT')
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new UsageError(`${file} is not valid JSON (truncated or not a result file)`, 'RB_BAD_RESULT')
  }
}

/** Fields that hold encoded data, left as they are when a document's strings are made inert. */
const ENCODED: ReadonlySet<string> = new Set(['histogram', 'serverHistogram'])

/** The baseline of results written before they recorded one. */
const BASELINE_BEFORE = 'shared'

function isObject (x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/** Every encoded histogram of the runs, each with its field's path. */
function histogramsOf (runs: ReadonlyArray<Record<string, any>>): Array<[string, unknown]> {
  return runs.flatMap((r, i) => [
    [`runs[${i}].serverHistogram`, r.serverHistogram],
    [`runs[${i}].client.histogram`, r.client?.histogram],
    ...((r.listeners ?? []) as Array<Record<string, unknown>>).map((l, j): [string, unknown] => [`runs[${i}].listeners[${j}].histogram`, l.histogram]),
    ...((r.client?.byListener ?? []) as Array<Record<string, unknown>>).flatMap((b, j): Array<[string, unknown]> => b.histogram === undefined ? [] : [[`runs[${i}].client.byListener[${j}].histogram`, b.histogram]])
  ])
}

/** The first histogram that does not decode (its field and the decoder's reason), before any report reads it. */
function brokenHistogram (runs: ReadonlyArray<Record<string, any>>): { field: string, why: string } | undefined {
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

/** Loads a run result (result.json); throws UsageError for anything else. */
export function loadResult (file: string): ResultDoc {
  const doc = readJson(file)
  if (!isObject(doc) || doc.schemaVersion === undefined) throw new UsageError(`${file} is not a reuseport-bench result (no schemaVersion)`, 'RB_BAD_RESULT')
  if (doc.schemaVersion !== 1) throw new UsageError(`${file} has schemaVersion ${String(doc.schemaVersion)}; this version reads 1`, 'RB_BAD_RESULT')
  if (doc.kind === 'probe') throw new UsageError(`${file} is a probe result; pass it with --probe`, 'RB_BAD_RESULT')
  if (!Array.isArray(doc.runs) || !isObject(doc.host) || !isObject(doc.plan)) throw new UsageError(`${file} is not a complete reuseport-bench result (runs, host or plan missing)`, 'RB_BAD_RESULT')
  for (const r of doc.runs as unknown[]) {
    if (!isObject(r) || typeof r.mode !== 'string' || !Array.isArray(r.listeners) || !isObject(r.client) || !isObject(r.fairness)) {
      throw new UsageError(`${file} has a malformed run entry`, 'RB_BAD_RESULT')
    }
  }
  const wrong = misfit(doc, RESULT)
  if (wrong !== undefined) throw new UsageError(`${file} is not a result this tool can read: ${wrong}`, 'RB_BAD_RESULT')
  const broken = brokenHistogram(doc.runs as Array<Record<string, unknown>>)
  if (broken !== undefined) throw new UsageError(`${file} is not a result this tool can read: ${broken.field} is not an encoded histogram (${broken.why})`, 'RB_BAD_RESULT')
  inertStrings(doc, ENCODED) // a label or message with terminal escapes is shown, never obeyed
  if (doc.baseline === undefined) doc.baseline = BASELINE_BEFORE // a result from before the field existed
  const plan = doc.plan as Record<string, unknown>
  if (plan.interleave === undefined) plan.interleave = 'cells' // before modes ran side by side
  if (plan.unstable === undefined) plan.unstable = 'keep' // before the host was checked
  return doc as unknown as ResultDoc
}

/** Loads a probe result (probe.json). */
export function loadProbe (file: string): ProbeDoc {
  const doc = readJson(file)
  if (!isObject(doc) || doc.kind !== 'probe' || doc.schemaVersion !== 1 || !Array.isArray(doc.cells)) {
    throw new UsageError(`${file} is not a reuseport-bench probe result (schemaVersion 1, kind "probe")`, 'RB_BAD_RESULT')
  }
  const wrong = misfit(doc, PROBE)
  if (wrong !== undefined) throw new UsageError(`${file} is not a probe result this tool can read: ${wrong}`, 'RB_BAD_RESULT')
  return inertStrings(doc) as unknown as ProbeDoc
}
