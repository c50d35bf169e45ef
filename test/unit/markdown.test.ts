// A result as markdown (report/markdown.ts), from fixed documents (pure).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { markdownTable, resultMarkdown } from '../../src/report/markdown.js'
import { makeDoc, makeRun } from '../fixtures.js'

test('a markdown table: a header, a rule, a row each; pipes escaped', () => {
  assert.equal(markdownTable({ head: ['a', 'b|c'], rows: [['1', '2'], ['x|y', '']] }), '| a | b\\|c |\n| --- | --- |\n| 1 | 2 |\n| x\\|y |  |')
})

test('a result: its host and command, the comparison, the verdict, a table per run', () => {
  const md = resultMarkdown(makeDoc([makeRun('reuseport', [5, 5]), makeRun('shared', [9, 1])], 'lab'))
  assert.match(md, /^## reuseport-bench: lab\n\n/)
  assert.match(md, /### Modes compared\n\n\| mode \|/)
  assert.match(md, /### Verdict\n\n- /)
  assert.equal(md.match(/^### (reuseport|shared): 2 workers, 10 connections, trial 1$/gm)?.length, 2)
})
