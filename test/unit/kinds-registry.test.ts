// The listener kinds' registry is data (issue 43): reading it (names, colours, claims) loads no code that
// starts listeners; each kind loads that when it launches. And each kind carries its own presentation.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { LISTENER_KINDS, membersText } from '../../src/topology/kinds/index.js'

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url))

/** Every file of src/ that loading `file` loads: its static imports, type-only ones and `import()` left out. */
function loaded (file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'/gm)) {
    const spec = (m[1] ?? m[2] ?? '').replace(/\.js$/, '.ts')
    loaded(path.resolve(path.dirname(file), spec), seen)
  }
  return seen
}

test('loading the kinds registry loads none of the code that starts listeners', () => {
  const files = [...loaded(path.join(SRC, 'topology/kinds/index.ts'))].map(f => path.relative(SRC, f).split(path.sep).join('/'))
  const machinery = files.filter(f => /^topology\/(kinds\/(perProcess|viaPrimary)|group|primary|listener\/)|^proc\/children|^ipc\//.test(f))
  assert.deepEqual(machinery, [])
  assert.ok(files.includes('topology/kinds/own.ts'), 'the walk reaches the kinds themselves')
})

test('the walk sees a static import of machinery (so the check above can fail)', () => {
  const files = [...loaded(path.join(SRC, 'topology/group.ts'))].map(f => path.relative(SRC, f).split(path.sep).join('/'))
  assert.ok(files.some(f => f.startsWith('topology/kinds/') || f.startsWith('proc/children')), files.join(' '))
})

test('every kind carries its own colour (no two alike) and what one of its listeners is called', () => {
  const colours = LISTENER_KINDS.map(k => k.color.toLowerCase())
  assert.equal(new Set(colours).size, colours.length)
  for (const k of LISTENER_KINDS) {
    assert.match(k.color, /^#[0-9a-f]{6}$/i, k.mode)
    assert.match(k.member, /^listener (process|thread)$/, k.mode)
  }
})

test("a mode's listeners are counted in its kind's words (progress lines, serve's first line)", () => {
  assert.deepEqual([membersText('shared', 4), membersText('reuseport#2', 1), membersText('threads-rr', 2), membersText('from-another-version', 3)], ['4 listener processes', '1 listener process', '2 listener threads', '3 listener processes'])
})
