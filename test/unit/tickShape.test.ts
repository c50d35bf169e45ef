// proc/tickShape.ts: a full collection while no tick object is alive turns process.nextTick's literal sites
// megamorphic for good (V8's feedback for computed keys is one shape or megamorphic); one tick object held
// keeps them on their shape. Read from V8's own feedback (%DebugPrint) in a child Node.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { holdTickShape } from '../../src/proc/tickShape.js'

const MODULE = fileURLToPath(new URL('../../src/proc/tickShape.js', import.meta.url))

// Gives nextTick its feedback, then idles with no tick pending, collects twice, ticks once and prints the feedback.
const SCRIPT = `
import(${JSON.stringify(MODULE)}).then(m => {
  if (process.argv[1] === 'hold') m.holdTickShape()
  let n = 0
  const again = () => { if (++n < 200) process.nextTick(again) }
  again()
  setTimeout(() => { gc(); gc(); setTimeout(() => process.nextTick(() => { %DebugPrint(process.nextTick) }), 20) }, 50)
})`

/** The states of nextTick's computed-key literal sites after an idle collection, with or without a tick object held. */
function literalStates (how: 'hold' | 'none'): string[] {
  const r = spawnSync(process.execPath, ['--expose-gc', '--allow-natives-syntax', '-e', SCRIPT, how], { encoding: 'utf8', timeout: 20_000 })
  assert.equal(r.status, 0, r.stderr)
  return [...r.stdout.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map(m => m[1] ?? '')
}

test('an idle collection turns nextTick megamorphic; a held tick object keeps it on its shape', t => {
  const none = literalStates('none')
  if (none.length === 0) {
    t.skip(`this Node (${process.version}) prints no literal feedback for nextTick`)
    return
  }
  assert.ok(none.includes('MEGAMORPHIC'), `without a held tick object: ${none.join(', ')}`)
  const held = literalStates('hold')
  assert.equal(held.length, none.length)
  assert.deepEqual(held.filter(s => s !== 'MONOMORPHIC'), [], `with one held: ${held.join(', ')}`)
})

test('holding is once per thread', () => {
  assert.equal(holdTickShape(), true)
  assert.equal(holdTickShape(), true)
})
