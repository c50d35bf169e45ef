// One colour per mode (report/html/colors.ts): every kind the registry has its own, none shared.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { modeColor } from '../../src/report/html/colors.js'
import { MODES } from '../../src/topology/kinds/index.js'

test('every registered mode has a colour of its own; a variant takes its mode\'s', () => {
  const colours = MODES.map(modeColor)
  assert.equal(new Set(colours).size, MODES.length, MODES.map((m, i) => `${m} ${colours[i] ?? ''}`).join(', '))
  assert.ok(colours.every(c => /^#[0-9A-F]{6}$/.test(c)))
  assert.equal(modeColor('reuseport [migrate]'), modeColor('reuseport'))
})
