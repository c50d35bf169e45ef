/**
 * Scratch folders for tests: each under one folder of this test process's,
 * which goes when the process exits, so that no run of the suite leaves
 * folders behind in the system's temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

let root: string | undefined

/** A new empty folder whose name starts with `prefix`, removed with the rest when this process exits. */
export function scratch (prefix: string): string {
  if (root === undefined) {
    const mine = mkdtempSync(path.join(tmpdir(), 'rb-test-'))
    process.on('exit', () => {
      try { rmSync(mine, { recursive: true, force: true }) } catch { /* a mount still inside: left for the system */ }
    })
    root = mine
  }
  return mkdtempSync(path.join(root, prefix))
}
