// Clear causes for the host's limits (proc/limits.ts, proc/children.ts): the open-files limit read from
// /proc and named with what to raise; a child that ran out of memory named so (a real V8 out-of-memory).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { lastStderrLine, spawnTracked } from '../../src/proc/children.js'
import { assertOpenFiles, openFilesLimit } from '../../src/proc/limits.js'
import { spawnSync } from 'node:child_process'
import { BIN } from '../helpers.js'

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            256                  524288               files
`

test('the open-files limit is read from /proc/self/limits; unlimited or unknown checks nothing', () => {
  assert.equal(openFilesLimit(LIMITS), 256)
  assert.equal(openFilesLimit(LIMITS.replace('256   ', 'unlimited')), undefined)
  assert.equal(openFilesLimit(''), undefined)
  if (process.platform === 'linux') assert.equal(typeof openFilesLimit(), 'number')
  assert.doesNotThrow(() => assertOpenFiles(100, 256))
  assert.throws(() => assertOpenFiles(1000, 256), (e: unknown) => e instanceof UsageError && /--connections 1000 needs about 1100 open files .* allows 256 \(ulimit -n\); raise it \(ulimit -n 4096\)/.test(e.message))
})

test('run -c 1000 under ulimit -n 256 is bad input naming the limit (it read "phase \'load\' missed its deadline"); --version under 24 answers or says why in one line', () => {
  const low = spawnSync('bash', ['-c', `ulimit -n 256 && exec '${process.execPath}' '${BIN}' run -c 1000 -d 1`], { encoding: 'utf8', timeout: 20_000 })
  assert.equal(low.status, 2, low.stderr)
  assert.match(low.stderr, /^reuseport-bench: --connections 1000 needs about 1100 open files .*allows 256 \(ulimit -n\)/)
  // Node 20 cannot load the CLI with 24 files open, Node 22 can: either it answers, or it says why in one line.
  const tiny = spawnSync('bash', ['-c', `ulimit -n 24 && exec '${process.execPath}' '${BIN}' --version`], { encoding: 'utf8', timeout: 20_000 })
  if (tiny.status === 0) assert.match(tiny.stdout, /^\d+\.\d+\.\d+\n$/)
  else {
    assert.equal(tiny.status, 2, tiny.stderr)
    assert.match(tiny.stderr, /^reuseport-bench: too many open files while starting \(EMFILE\): this shell allows 24 \(ulimit -n\), and starting needs about 100[^\n]*\n$/)
  }
  assert.doesNotMatch(tiny.stderr, /\n\s+at /)
  // A limit the CLI cannot start under is bad input too: exit 2, the limit and the need named. Where the command's
  // modules (loaded once it is known) fit under it, the run's own check of its connections says it instead.
  const start = spawnSync('bash', ['-c', `ulimit -n 40 && exec '${process.execPath}' '${BIN}' run -d 0.5 -c 1`], { encoding: 'utf8', timeout: 20_000 })
  assert.equal(start.status, 2, start.stderr)
  assert.match(start.stderr, /^reuseport-bench: (too many open files while starting \(EMFILE\): this shell allows 40 \(ulimit -n\), and starting needs about 100, plus one per connection of a run; raise it, e\.g\. ulimit -n 4096|--connections 1 needs about \d+ open files [^\n]*allows 40 \(ulimit -n\)[^\n]*)\n$/)
})

test('a child that runs out of memory is named so, not by the native stack after it', async () => {
  const child = spawnTracked(process.execPath, ['--max-old-space-size=16', '-e', 'const a = []; for (;;) a.push(new Array(1e5).fill(1))'], { stdio: ['ignore', 'ignore', 'pipe'] })
  await new Promise(resolve => child.on('close', resolve))
  assert.match(lastStderrLine(child), /^out of memory \(FATAL ERROR: .*(heap limit|out of memory)/i)
})
