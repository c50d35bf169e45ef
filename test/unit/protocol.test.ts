// The request/reply helper's replies are checked (ipc/protocol.ts): a reply that does not fit its
// operation's declared shape fails the request in one line naming who answered, the operation and the
// field; one that fits is returned as it came. The two ends talk over a real line wire (two streams), as a
// remote host's transport does; the peer is a stand-in that never exits.
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { HarnessError } from '../../src/errors.js'
import { ProtocolChannel, serveProtocol } from '../../src/ipc/protocol.js'
import { lineWire } from '../../src/ipc/wire.js'
import { object } from '../../src/shape.js'
import type { Peer } from '../../src/types/peer.js'

type Clock = { clock: { request: Record<never, never>, reply: { nowMs: number }, event: never } }

class StandIn extends EventEmitter implements Peer {
  readonly pid = process.pid
  readonly exitCode = null
  readonly signalCode = null
  kill (): boolean { return true }
}

/** A channel to a side that answers `clock` with `reply`, its replies checked or not. */
function pair (reply: unknown, checked: boolean): ProtocolChannel<Clock> {
  const toSide = new PassThrough()
  const fromSide = new PassThrough()
  const fault = (): void => assert.fail('no line fault expected')
  // The side answers whatever it is given: a remote host can send anything.
  serveProtocol<Clock>({ clock: async () => reply as { nowMs: number } }, { wire: lineWire(toSide, fromSide, { maxLineBytes: 4096, onFault: fault }) })
  const channel = new ProtocolChannel<Clock>(new StandIn(), "client host 'ssh lab2'", lineWire(fromSide, toSide, { maxLineBytes: 4096, onFault: fault }), 'RB_HOST_LOST')
  return checked ? channel.checkReplies({ clock: object({ nowMs: 'number' }) }) : channel
}

const ask = async (c: ProtocolChannel<Clock>): Promise<{ nowMs: number }> => await c.ask('clock', {}, { timeoutMs: 2000, onTimeout: () => new Error('no answer') })

test('a reply that fits its shape is returned as it came', async () => {
  assert.deepEqual(await ask(pair({ nowMs: 12.5 }, true)), { nowMs: 12.5 })
})

test('a malformed reply is one error naming the host, the operation and the field', async () => {
  await assert.rejects(ask(pair({ nowMs: 'soon' }, true)), (e: unknown) => {
    assert.ok(e instanceof HarnessError)
    assert.equal(e.code, 'RB_BAD_REPLY')
    assert.equal(e.message, `client host 'ssh lab2' answered clock with what this tool cannot use: reply.nowMs must be a number, got "soon"`)
    return true
  })
})

test('without declared shapes the reply is passed on unchecked (so the check above is what refuses it)', async () => {
  assert.deepEqual(await ask(pair({ nowMs: 'soon' }, false)), { nowMs: 'soon' })
})
