// The session keeps what it measures (engine/keeping.ts), whichever surface asked: every event reaches the keeper,
// a stop is kept the moment it is asked for, a failure keeps the cells so far, and a result finished after the stop
// was asked for is kept whole but partial, the run then ending interrupted.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { InterruptedError, RunError } from '../../src/errors.js'
import { keptWhile } from '../../src/engine/keeping.js'
import type { Failure, Keeping } from '../../src/engine/keeping.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { RunEvent, SessionEvent } from '../../src/types/events.js'
import { makeDoc, makeRun } from '../fixtures.js'

/** A keeper that records what it was told, in order. */
function recorder (): Keeping & { log: string[] } {
  const log: string[] = []
  return {
    log,
    take: (e: RunEvent | SessionEvent) => { log.push(`take ${e.type}`) },
    keep: (f: Failure, doc?: ResultDoc) => { log.push(`keep ${f.code} ${f.message}${doc === undefined ? '' : ' with the whole result'}`) }
  }
}

const note: SessionEvent = { type: 'note', text: 'x' }

test('a run that ends: every event taken, nothing kept as partial', async () => {
  const k = recorder()
  const doc = makeDoc([makeRun('reuseport', [1, 1])])
  const got = await keptWhile(k, new AbortController().signal, async take => { take(note); take(note); return doc })
  assert.equal(got, doc)
  assert.deepEqual(k.log, ['take note', 'take note'])
})

test('a stop is kept the moment it is asked for, before the run has stopped; the run then ends interrupted', async () => {
  const k = recorder()
  const ac = new AbortController()
  const run = keptWhile(k, ac.signal, async () => {
    ac.abort('SIGINT')
    assert.deepEqual(k.log, ['keep RB_INTERRUPTED interrupted by SIGINT'], 'kept at the signal, while the run is still stopping')
    await sleep(1)
    throw new InterruptedError('SIGINT')
  })
  await assert.rejects(run, InterruptedError)
  assert.equal(k.log.length, 2, 'and once more as the run failed (the keeper says nothing new for the same cells)')
})

test('a failure keeps the cells so far with its code and line, and the error goes on', async () => {
  const k = recorder()
  await assert.rejects(keptWhile(k, undefined, async () => { throw new RunError('RB_LISTENER_DIED', 'listener 1 exited') }), RunError)
  assert.deepEqual(k.log, ['keep RB_LISTENER_DIED listener 1 exited'])
  const plain = recorder()
  await assert.rejects(keptWhile(plain, undefined, async () => { throw new Error('boom') }))
  assert.deepEqual(plain.log, ['keep RB_ERROR boom'])
})

test('a result finished after the stop was asked for (the analysis) is kept whole, marked partial, and the run ends interrupted, kept or not', async () => {
  const k = recorder()
  const ac = new AbortController()
  const doc = makeDoc([makeRun('reuseport', [1, 1])])
  await assert.rejects(keptWhile(k, ac.signal, async () => { ac.abort('SIGTERM'); return doc }), (e: unknown) => e instanceof InterruptedError && /SIGTERM/.test(e.message))
  assert.deepEqual(k.log, ['keep RB_INTERRUPTED interrupted by SIGTERM', 'keep RB_INTERRUPTED interrupted by SIGTERM with the whole result'])
  const none = new AbortController()
  await assert.rejects(keptWhile(undefined, none.signal, async () => { none.abort('SIGINT'); return doc }), InterruptedError)
})
