#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (built by `npm install`).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Read before anything else opens a file: with the limit reached there is no descriptor left to read it with.
let limitsText = ''
try { limitsText = readFileSync('/proc/self/limits', 'utf8') } catch {}
const cli = new URL('../dist/src/cli/main.js', import.meta.url)
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('reuseport-bench: not built yet; run `npm install` (or `npm run build`) in the project folder\n')
  process.exit(2)
}
try {
  await import(cli.href)
} catch (err) {
  // Loading the CLI opens many files: with too low a limit that is the one thing to say, not a stack.
  const code = err?.code
  if (code !== 'EMFILE' && code !== 'ENFILE') throw err
  if (code === 'ENFILE') {
    process.stderr.write('reuseport-bench: too many open files while starting (ENFILE): the whole system is out of file handles (fs.file-max)\n')
    process.exit(1)
  }
  // This shell's own limit is bad input (exit 2): name it, and what starting needs (src/proc/limits.ts SPARE_FILES, plus the connections).
  const limit = /^Max open files\s+(\d+)/m.exec(limitsText)?.[1] ?? 'too few'
  process.stderr.write(`reuseport-bench: too many open files while starting (EMFILE): this shell allows ${limit} (ulimit -n), and starting needs about 100, plus one per connection of a run; raise it, e.g. ulimit -n 4096\n`)
  process.exit(2)
}
