/**
 * Reading result and probe documents back from disk, refusing anything
 * truncated or of another schema with a one-line message.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'
import type { ProbeDoc, ResultDoc } from '../types/docs.js'

function readJson (file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err)}`, 'RB_BAD_RESULT')
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new UsageError(`${file} is not valid JSON (truncated or not a result file)`, 'RB_BAD_RESULT')
  }
}

function isObject (x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
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
  return doc as unknown as ResultDoc
}

/** Loads a probe result (probe.json). */
export function loadProbe (file: string): ProbeDoc {
  const doc = readJson(file)
  if (!isObject(doc) || doc.kind !== 'probe' || doc.schemaVersion !== 1 || !Array.isArray(doc.cells)) {
    throw new UsageError(`${file} is not a reuseport-bench probe result (schemaVersion 1, kind "probe")`, 'RB_BAD_RESULT')
  }
  return doc as unknown as ProbeDoc
}
