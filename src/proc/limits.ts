/**
 * This process's limit on open files (RLIMIT_NOFILE, which its children
 * inherit), read from /proc/self/limits, and the check that a plan fits in it:
 * a load of C connections needs about C descriptors in the load process and,
 * when one listener takes them all (a shared socket can), in that listener too.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'

/** The soft limit on open files, or undefined where /proc does not tell (not Linux) or it is unlimited. */
export function openFilesLimit (limitsText?: string): number | undefined {
  let text = limitsText
  if (text === undefined) {
    try { text = readFileSync('/proc/self/limits', 'utf8') } catch { return undefined }
  }
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(text)
  return m === null || m[1] === 'unlimited' ? undefined : Number(m[1])
}

/** Descriptors a process needs beside its connections: Node itself, pipes, IPC, the listening sockets. */
export const SPARE_FILES = 100

/** Bad input naming the limit and what to raise when `connections` cannot fit under it (exit 2, before anything starts). */
export function assertOpenFiles (connections: number, limit = openFilesLimit()): void {
  if (limit === undefined || connections + SPARE_FILES <= limit) return
  throw new UsageError(`--connections ${connections} needs about ${connections + SPARE_FILES} open files in the load process and in a listener, but this shell allows ${limit} (ulimit -n); raise it (ulimit -n ${Math.max(4096, 2 ** Math.ceil(Math.log2(connections + SPARE_FILES)))}) or use fewer connections`)
}
