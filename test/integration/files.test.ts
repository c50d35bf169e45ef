// Files written whole or not at all, and output folders tried before a run (report/files.ts): real
// files; a small tmpfs (root only) for a full disk, before the run and during it.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { RunError, UsageError } from '../../src/errors.js'
import { assertWritable, makeDirs, writeFileAtomic } from '../../src/store/files.js'
import { CATALOGUE } from '../../src/reproduce/catalogue.js'
import { BIN, runCli } from '../helpers.js'
import { scratch } from '../scratch.js'

const dir = scratch('rb-files-')
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('a large text is written whole, and folders are made one level at a time', () => {
  const text = 'x'.repeat(40_000) + 'é'.repeat(10_000)
  const f = path.join(dir, 'a', 'b', 'c', 'big.txt')
  writeFileAtomic(f, text)
  assert.equal(readFileSync(f, 'utf8'), text)
  assert.deepEqual(readdirSync(path.dirname(f)), ['big.txt'])
})

test('makeDirs under /proc fails at once (Node 20\'s recursive mkdir loops there forever)', () => {
  const t0 = Date.now()
  assert.throws(() => makeDirs('/proc/forbidden/deeper'), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT')
  assert.ok(Date.now() - t0 < 1000)
})

test('assertWritable: a folder that can take the bytes passes and keeps no probe; a path under a file is bad input', () => {
  assertWritable(path.join(dir, 'fresh'), 64 * 1024)
  assert.deepEqual(readdirSync(path.join(dir, 'fresh')), [])
  writeFileAtomic(path.join(dir, 'plain'), 'x')
  assert.throws(() => assertWritable(path.join(dir, 'plain', 'sub'), 1), (e: unknown) => e instanceof UsageError && /--out .*plain\/sub: cannot create a folder for results there \(ENOTDIR\)/.test(e.message))
})

test('run --out /proc/forbidden and serve --out /proc/forbidden are bad input before anything starts', async () => {
  const r = await runCli(['run', '--modes', 'reuseport', '-d', '0.3', '--out', '/proc/forbidden'], 20_000)
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /^reuseport-bench: --out \/proc\/forbidden: cannot create a folder for results there \(ENOENT\)\n$/m)
  const s = await runCli(['serve', '--port', '0', '--out', '/proc/forbidden'], 20_000)
  assert.equal(s.code, 2, s.stderr)
  assert.doesNotMatch(s.stderr, /serving/)
})

/** A tmpfs of `kib` KiB at a new folder, with `fillKib` of it taken; undefined where it cannot be mounted. */
function smallDisk (kib: number, fillKib: number): string | undefined {
  if (process.getuid?.() !== 0) return undefined
  const at = scratch('rb-tmpfs-')
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', at], { stdio: 'ignore' })
  } catch {
    rmSync(at, { recursive: true, force: true })
    return undefined
  }
  if (fillKib > 0) execFileSync('dd', ['if=/dev/zero', `of=${path.join(at, 'fill')}`, 'bs=1k', `count=${fillKib}`, 'status=none'])
  return at
}
function unmount (at: string): void {
  try { execFileSync('umount', [at], { stdio: 'ignore' }) } catch {}
  rmSync(at, { recursive: true, force: true })
}

/** Runs `fn` on a small disk (smallDisk), unmounted afterwards; skipped where one cannot be made. */
async function onSmallDisk (t: TestContext, kib: number, fillKib: number, fn: (at: string) => Promise<void> | void): Promise<void> {
  const at = smallDisk(kib, fillKib)
  if (at === undefined) { t.skip('needs root and tmpfs'); return }
  try {
    await fn(at)
  } finally {
    unmount(at)
  }
}

test('on a full disk a write fails naming the file (ENOSPC) and leaves neither a short file nor a temp file', async t => await onSmallDisk(t, 1024, 984, async at => {
  const f = path.join(at, 'result.json')
  assert.throws(() => writeFileAtomic(f, 'y'.repeat(80_000)), (e: unknown) => e instanceof RunError && e.code === 'RB_WRITE_FAILED' && e.message.includes(f) && /ENOSPC/.test(e.message))
  assert.deepEqual(readdirSync(at), ['fill'])
}))

test('run --out on a nearly full disk is bad input before anything runs, and writes nothing', async t => await onSmallDisk(t, 1024, 984, async at => {
  const r = await runCli(['run', '--modes', 'reuseport,shared', '-d', '0.3', '--warmup', '0', '--out', at], 20_000)
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, new RegExp(`^reuseport-bench: --out ${at}: no room for the \\d+ KiB this will write \\(ENOSPC\\)\\n$`))
  assert.deepEqual(readdirSync(at), ['fill'])
}))

/**
 * Runs the CLI with `args` and, once its stderr matches `after` (past the up-front room check, before anything
 * is saved), fills the disk at `at` to its last block; its exit code and output.
 */
async function runFillingDisk (args: string[], at: string, after: RegExp): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let filled = false
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
    if (!filled && after.test(stderr)) {
      filled = true
      try { execFileSync('dd', ['if=/dev/zero', `of=${path.join(at, 'fill')}`, 'bs=4k', 'status=none'], { stdio: 'ignore' }) } catch {}
    }
  })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, stdout, stderr }
}

test('a disk that fills during the run: the tables are still printed, the failure names what was not saved, latest never points at a short file', async t => await onSmallDisk(t, 2048, 0, async at => {
  // Past the up-front check, before any cell is saved.
  const { code, stdout, stderr } = await runFillingDisk(['run', '--modes', 'reuseport,shared', '-d', '1', '--warmup', '0', '-w', '2', '-c', '10', '--trials', '1', '--out', at], at, /CPUs:/)
  assert.equal(code, 1, stderr)
  assert.match(stdout, /== comparison/)
  assert.match(stdout, /== reuseport/)
  assert.match(stderr, /reuseport-bench: the figures above were measured but not all saved: cannot write .*result\.json: ENOSPC/)
  const latest = path.join(at, 'latest')
  if (existsSync(latest)) JSON.parse(readFileSync(path.join(at, readlinkSync(latest), 'result.json'), 'utf8'))
  for (const d of readdirSync(at).filter(f => /^\d{4}-/.test(f))) {
    for (const f of readdirSync(path.join(at, d))) assert.ok(!f.endsWith('.tmp'), `a temp file was left: ${f}`)
  }
}))

test('reproduce on a nearly full disk is bad input before anything runs; a disk that fills during it still prints the findings and names what was not saved', async t => await onSmallDisk(t, 2048, 0, async at => {
  const catalogue = scratch('rb-cat-')
  copyFileSync(path.join(CATALOGUE, 'seed-article-matrix.json'), path.join(catalogue, 'seed-article-matrix.json'))
  // Past the up-front check, before the study's probe is saved.
  const { code, stdout, stderr } = await runFillingDisk(['reproduce', '--catalogue', catalogue, '--out', at], at, /can run here/)
  assert.equal(code, 1, stderr)
  assert.match(stdout, /== seed-article-matrix[^]*finding: reproduced[^]*result: not saved \(cannot write .*probe\.json: ENOSPC/)
  assert.match(stderr, /reuseport-bench: the findings above were measured but not all saved: cannot write .*ENOSPC/)
  assert.ok(!existsSync(path.join(at, 'latest-reproduce')), 'latest-reproduce never points at a short file')
  rmSync(path.join(at, 'fill'))
  execFileSync('dd', ['if=/dev/zero', `of=${path.join(at, 'fill')}`, 'bs=1k', 'count=1900', 'status=none'])
  const r = await runCli(['reproduce', '--catalogue', catalogue, '--out', at], 20_000)
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, new RegExp(`^reuseport-bench: --out ${at}: no room for the \\d+ KiB this will write \\(ENOSPC\\)\\n$`))
}))
