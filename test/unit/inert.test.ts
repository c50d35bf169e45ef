// Text from elsewhere made inert on a terminal (src/inert.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inert, inertButOurs, inertStrings } from '../../src/inert.js'

test('control characters are shown as text; newline and tab stay', () => {
  assert.equal(inert('a\x1b]0;T\x07b\x1b[2J\x00\x7f\x9b'), 'a\\x1b]0;T\\x07b\\x1b[2J\\x00\\x7f\\x9b')
  assert.equal(inert('two\nlines\tand tab'), 'two\nlines\tand tab')
})

test("this tool's own colours and line erasing pass; anything else with them is shown", () => {
  assert.equal(inertButOurs('\r\x1b[K10/20 s'), '\r\x1b[K10/20 s')
  assert.equal(inertButOurs('\x1b[1;31mred\x1b[0m'), '\x1b[1;31mred\x1b[0m')
  assert.equal(inertButOurs('x\x1b[2J\x1b]0;T\x07\ry'), 'x\\x1b[2J\\x1b]0;T\\x07\\x0dy')
})

test('every string of a document, deeply, but encoded fields', () => {
  const doc = { label: 'a\x1b[2J', runs: [{ mode: 'm\x07', histogram: 'keep\x1b' }], n: 3 }
  assert.deepEqual(inertStrings(doc, new Set(['histogram'])), { label: 'a\\x1b[2J', runs: [{ mode: 'm\\x07', histogram: 'keep\x1b' }], n: 3 })
})
