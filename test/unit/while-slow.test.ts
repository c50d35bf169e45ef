// A wait that is still going is said while it lasts (engine/whileSlow.ts): every interval until it settles, never after.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { whileSlow } from '../../src/engine/whileSlow.js'

test('a wait longer than the interval is said at each interval, with its seconds so far, and not after it ends', async () => {
  const said: number[] = []
  const value = await whileSlow(sleep(130).then(() => 'ready'), 40, s => said.push(s))
  assert.equal(value, 'ready')
  assert.ok(said.length >= 2 && said.length <= 3, `said ${said.length} times`)
  assert.ok(said.every(s => s === 0), 'whole seconds: none has passed')
  const before = said.length
  await sleep(100)
  assert.equal(said.length, before, 'nothing said once it settled')
})

test('a wait that fails is not said after it fails, and its error comes through', async () => {
  const said: number[] = []
  await assert.rejects(whileSlow(sleep(60).then(() => { throw new Error('boom') }), 25, s => said.push(s)), /boom/)
  const before = said.length
  await sleep(80)
  assert.equal(said.length, before)
})

test('a quick wait is never said', async () => {
  const said: number[] = []
  await whileSlow(Promise.resolve(1), 20, s => said.push(s))
  await sleep(50)
  assert.deepEqual(said, [])
})
