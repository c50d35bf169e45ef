// Results are written atomically and never overwrite an earlier one.
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { spawn } from 'node:child_process'
import { RunError, UsageError } from '../../src/errors.js'
import { createRunDir, saveDoc, stamp } from '../../src/store/runDir.js'
import { writeFileAtomic } from '../../src/store/files.js'
import { scratch } from '../scratch.js'

const dir = scratch('rb-write-')
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('writeFileAtomic replaces the file whole and leaves no temp file', () => {
  const f = path.join(dir, 'a', 'x.json')
  writeFileAtomic(f, '{"v":1}')
  writeFileAtomic(f, '{"v":2}')
  assert.equal(readFileSync(f, 'utf8'), '{"v":2}')
  assert.deepEqual(readdirSync(path.dirname(f)), ['x.json'])
})

test('a failed write raises RB_WRITE_FAILED and keeps the old file', () => {
  const f = path.join(dir, 'keep.json')
  writeFileSync(f, 'old')
  // a folder where the temp file would go cannot be written: make the target's parent a file
  assert.throws(() => writeFileAtomic(path.join(f, 'child.json'), 'new'), (e: unknown) => e instanceof RunError && e.code === 'RB_WRITE_FAILED')
  assert.equal(readFileSync(f, 'utf8'), 'old')
})

test('saveDoc never overwrites an earlier result, and latest follows the newest', () => {
  const root = path.join(dir, 'reports')
  const at = new Date('2026-01-02T03:04:05.678Z')
  const a = saveDoc(createRunDir(root, at), { n: 1 })
  const b = saveDoc(createRunDir(root, at), { n: 2 })
  assert.notEqual(a, b)
  assert.equal(path.basename(path.dirname(a)), stamp(at))
  assert.equal(path.basename(path.dirname(b)), `${stamp(at)}-2`)
  assert.deepEqual(JSON.parse(readFileSync(a, 'utf8')), { n: 1 })
  assert.equal(readlinkSync(path.join(root, 'latest')), `${stamp(at)}-2`)
  const c = saveDoc(createRunDir(root, at), { n: 3 }, 'result.json', null)
  assert.equal(readlinkSync(path.join(root, 'latest')), `${stamp(at)}-2`, 'a partial result does not move latest')
  assert.ok(c.includes(`${stamp(at)}-3`))
})

test('five processes creating run folders at the same instant get five folders and keep five results', async () => {
  // Each child waits for the same wall-clock moment, then creates its folder and saves, with the same createdAt.
  const root = path.join(dir, 'race')
  const at = Date.now() + 700
  const script = `
    import { createRunDir, saveDoc } from ${JSON.stringify(new URL('../../src/store/runDir.js', import.meta.url).href)}
    while (Date.now() < ${at}) {}
    const d = createRunDir(${JSON.stringify(root)}, new Date('2026-01-02T03:04:05Z'))
    saveDoc(d, { who: process.argv[1] })`
  const runs = ['a', 'b', 'c', 'd', 'e'].map(who => new Promise<number | null>(resolve => {
    spawn(process.execPath, ['--input-type=module', '-e', script, who], { stdio: 'ignore' }).on('exit', code => resolve(code))
  }))
  assert.deepEqual(await Promise.all(runs), [0, 0, 0, 0, 0])
  const folders = readdirSync(root).filter(f => f !== 'latest' && !f.startsWith('.'))
  assert.equal(folders.length, 5, folders.join(','))
  const who = folders.map(f => (JSON.parse(readFileSync(path.join(root, f, 'result.json'), 'utf8')) as { who: string }).who).sort()
  assert.deepEqual(who, ['a', 'b', 'c', 'd', 'e'])
})

test('an --out that cannot hold a folder is bad input (exit 2), found before anything runs', () => {
  const file = path.join(dir, 'plain-file')
  writeFileSync(file, 'x')
  assert.throws(() => createRunDir(file, new Date()), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /--out .*plain-file: cannot create a folder for results there \(ENOTDIR|EEXIST\)/.test(e.message))
})
