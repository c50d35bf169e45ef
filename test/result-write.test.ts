// Results are written atomically and never overwrite an earlier one.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { RunError } from '../src/errors.js'
import { saveDoc, stamp, writeFileAtomic } from '../src/report/result.js'

const dir = mkdtempSync(path.join(tmpdir(), 'rb-write-'))
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
  const a = saveDoc(root, { n: 1 }, at)
  const b = saveDoc(root, { n: 2 }, at)
  assert.notEqual(a, b)
  assert.equal(path.basename(path.dirname(a)), stamp(at))
  assert.equal(path.basename(path.dirname(b)), `${stamp(at)}-2`)
  assert.deepEqual(JSON.parse(readFileSync(a, 'utf8')), { n: 1 })
  assert.equal(readlinkSync(path.join(root, 'latest')), `${stamp(at)}-2`)
  const c = saveDoc(root, { n: 3 }, at, 'result.json', null)
  assert.equal(readlinkSync(path.join(root, 'latest')), `${stamp(at)}-2`, 'a partial result does not move latest')
  assert.ok(c.includes(`${stamp(at)}-3`))
})
