// The nearest flag for a typo: a swap of two letters is one edit; far words get no suggestion.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { editDistance, nearestFlag, withSuggestions } from '../../src/cli/suggest.js'

const KNOWN = ['workers', 'connections', 'duration', 'warmup', 'rate', 'modes', 'client-cpus', 'listener-cpus', 'w', 'c']

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('wrokers', 'workers'), 1)
  assert.equal(editDistance('conections', 'connections'), 1)
  assert.equal(editDistance('abc', 'abc'), 0)
  assert.equal(editDistance('', 'abc'), 3)
  assert.equal(editDistance('kitten', 'sitting'), 3)
})

test('a typo gets the flag it was meant to be; a word far from every flag gets none', () => {
  assert.equal(nearestFlag('wrokers', KNOWN), 'workers')
  assert.equal(nearestFlag('--duraton', KNOWN), 'duration')
  assert.equal(nearestFlag('client-cpu=0', KNOWN), 'client-cpus')
  assert.equal(nearestFlag('banana', KNOWN), undefined)
  assert.equal(nearestFlag('x', KNOWN), undefined)
})

test("yargs' message gains one hint per unknown flag that has a near one", () => {
  assert.equal(withSuggestions('Unknown argument: wrokers', KNOWN), 'Unknown argument: wrokers; did you mean --workers (not wrokers)?')
  assert.equal(withSuggestions('Unknown arguments: wrokers, banana', KNOWN), 'Unknown arguments: wrokers, banana; did you mean --workers (not wrokers)?')
  assert.equal(withSuggestions('Unknown argument: banana', KNOWN), 'Unknown argument: banana')
  assert.equal(withSuggestions('Not enough arguments', KNOWN), 'Not enough arguments')
})
