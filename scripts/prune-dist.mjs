// Before an incremental build (tsc -b): removes what dist/ holds of sources that no longer exist (a test file
// renamed or deleted would otherwise still be found by node --test's globs), and nothing else, so the build
// recompiles only what changed. Plain JavaScript: it runs before anything is compiled.
import { existsSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = path.join(root, 'dist')
/** What tsc writes for a/b.ts: dist/a/b.js, b.d.ts and b.js.map. */
const compiled = /(\.d\.ts|\.js\.map|\.js)$/
const sourceOf = rel => rel.replace(compiled, '.ts')

function prune (dir) {
  if (!existsSync(dir)) return 0
  let removed = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const at = path.join(dir, e.name)
    if (e.isDirectory()) { removed += prune(at); continue }
    if (!compiled.test(e.name)) continue
    if (existsSync(path.join(root, sourceOf(path.relative(dist, at))))) continue
    rmSync(at, { force: true })
    removed++
  }
  return removed
}

const removed = prune(dist)
if (removed > 0) console.error(`prune-dist: removed ${removed} compiled file${removed === 1 ? '' : 's'} whose source is gone`)
