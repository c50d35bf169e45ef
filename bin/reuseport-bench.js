#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (built by `npm install`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

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
  process.stderr.write(`reuseport-bench: too many open files while starting (${code}): ${code === 'EMFILE' ? 'this shell allows too few (ulimit -n); raise it, e.g. ulimit -n 4096' : 'the whole system is out of file handles (fs.file-max)'}\n`)
  process.exit(1)
}
