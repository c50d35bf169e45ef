/**
 * A run's folder, and saving a document into it whole (files.ts) with
 * `latest` moved only once it is complete.
 */
import { mkdirSync, renameSync, rmdirSync, rmSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { errnoCode, messageOf, UsageError } from '../errors.js'
import { makeDirs, writeFileAtomic } from './files.js'

/** A folder name for a run started at `d`, e.g. 2026-11-24T16-42-47Z. */
export function stamp (d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
}

/**
 * Creates `<root>/<stamp>` for one run, exclusively (mkdir without -p: if it
 * exists, `-2`, `-3`, ... are tried): never shared with another run started
 * at the same moment, never an earlier result's folder. An `--out` that cannot
 * hold it is bad input, found before anything runs.
 */
export function createRunDir (root: string, createdAt: Date, prefix = ''): string {
  const bad = (err: unknown): UsageError => new UsageError(`--out ${root}: cannot create a folder for results there (${errnoCode(err) ?? messageOf(err)})`, 'RB_USAGE', { cause: err })
  try {
    makeDirs(root)
  } catch (err) {
    throw bad(err)
  }
  for (let i = 1; ; i++) {
    const dir = path.join(root, `${prefix}${stamp(createdAt)}${i === 1 ? '' : `-${i}`}`)
    try {
      mkdirSync(dir)
      return dir
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST' || i >= 10_000) throw bad(err)
    }
  }
}

/** Removes a run's folder if nothing was written in it (a run that produced no result). */
export function removeIfEmpty (dir: string): void {
  try { rmdirSync(dir) } catch {}
}

/**
 * Writes `<dir>/<fileName>` atomically (dir from createRunDir) and points
 * `<dir>/../<link>` at it, unless link is null. Returns the file's path.
 */
export function saveDoc (dir: string, doc: unknown, fileName = 'result.json', link: string | null = 'latest'): string {
  const file = path.join(dir, fileName)
  writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n')
  if (link === null) return file
  const root = path.dirname(dir)
  const linkPath = path.join(root, link)
  const tmpLink = path.join(root, `.${link}.${process.pid}.tmp`)
  try {
    rmSync(tmpLink, { force: true })
    symlinkSync(path.basename(dir), tmpLink)
    renameSync(tmpLink, linkPath)
  } catch {
    rmSync(tmpLink, { force: true })
  }
  return file
}
