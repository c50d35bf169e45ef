/**
 * Files written whole or not at all: every byte written (a short write is
 * continued, never ignored), fsync'd, then renamed into place, so a reader sees
 * the old file or the complete new one and a full disk is an error that names
 * the file. Folders are made one level at a time (Node 20's recursive mkdir
 * loops forever under /proc), and an output folder can be tried before a run
 * with a probe file of the size the run will write.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import path from 'node:path'
import { errnoCode, messageOf, RunError, UsageError } from '../errors.js'

/** "ENOSPC" for a system error, else its message: what a one-line failure says of `err`. */
function why (err: unknown): string {
  return errnoCode(err) ?? messageOf(err)
}

/** Makes `dir` and every missing folder above it, one mkdir at a time. */
export function makeDirs (dir: string): void {
  const abs = path.resolve(dir)
  const missing: string[] = []
  for (let d = abs; ; d = path.dirname(d)) {
    try {
      if (!statSync(d).isDirectory()) throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' })
      break
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' || path.dirname(d) === d) throw err
      missing.push(d)
    }
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d)
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err
    }
  }
}

/** Writes all of `data` at the file's current position, continuing after every short write. */
function writeAll (fd: number, data: Uint8Array): void {
  let at = 0
  while (at < data.length) {
    const n = writeSync(fd, data, at, data.length - at)
    if (n <= 0) throw Object.assign(new Error('the write made no progress'), { code: 'EIO' })
    at += n
  }
}

/** Makes a folder's new entries durable (best effort: not every file system lets a folder be fsync'd). */
function syncFolder (dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try { fsyncSync(fd) } finally { closeSync(fd) }
  } catch {}
}

/** Writes `text` (or bytes) to `file` whole: temp file in the same folder, every byte, fsync, rename. */
export function writeFileAtomic (file: string, text: string | Uint8Array): void {
  const dir = path.dirname(file)
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`)
  try {
    makeDirs(dir)
    const fd = openSync(tmp, 'w')
    try {
      writeAll(fd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
    syncFolder(dir)
  } catch (err) {
    try { rmSync(tmp, { force: true }) } catch {}
    throw new RunError('RB_WRITE_FAILED', `cannot write ${file}: ${why(err)}${errnoCode(err) === 'ENOSPC' ? ' (the disk is full)' : ''}`, { cause: err })
  }
}

/**
 * Checks before anything runs that `dir` can be made and can take `bytes` more: a probe file of
 * that size is written whole, fsync'd and removed. Bad input (exit 2) naming `flag` otherwise.
 */
export function assertWritable (dir: string, bytes: number, flag = '--out'): void {
  const bad = (err: unknown): UsageError => new UsageError(`${flag} ${dir}: ${errnoCode(err) === 'ENOSPC' ? `no room for the ${Math.ceil(bytes / 1024)} KiB this will write` : 'cannot write there'} (${why(err)})`, 'RB_USAGE', { cause: err })
  try {
    makeDirs(dir)
  } catch (err) {
    throw new UsageError(`${flag} ${dir}: cannot create a folder for results there (${why(err)})`, 'RB_USAGE', { cause: err })
  }
  const probe = path.join(dir, `.write-check.${process.pid}`)
  try {
    writeFileAtomic(probe, new Uint8Array(bytes))
  } catch (err) {
    throw bad(err instanceof RunError && err.cause !== undefined ? err.cause : err)
  } finally {
    try { rmSync(probe, { force: true }) } catch {}
  }
}

/** About what a result of `cells` runs writes (result.json, report.html, two .hgrm files a run, counts.csv), bytes. */
export function expectedBytes (cells: number): number {
  return 256 * 1024 + cells * 96 * 1024
}

/** Whether two paths name one file: the same device and inode (a hard link or a symlink to it), or, where one does not exist yet, the same resolved path. */
export function sameFile (a: string, b: string): boolean {
  try {
    const x = statSync(a)
    const y = statSync(b)
    return x.dev === y.dev && x.ino === y.ino
  } catch {
    return path.resolve(a) === path.resolve(b)
  }
}

/** Refuses, before anything is written, an output that would land on one of the command's inputs (exit 2). */
export function refuseOverInputs (outputs: readonly string[], inputs: readonly string[], flag = '--out'): void {
  for (const o of outputs) {
    const input = inputs.find(i => sameFile(o, i))
    if (input !== undefined) throw new UsageError(`${flag} ${o} would overwrite the input ${input}: write the output elsewhere`)
  }
}
