// The wire of the UDP load's datagrams: what the client writes, what a listener answers.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ANSWER_BYTES, answerTo, readAnswer, REQUEST_HEADER, writeRequest } from '../../src/datagram.js'

test('a request carries its flow and sequence number; the answer adds the listener and nothing else', () => {
  const req = writeRequest(Buffer.alloc(64), 7, 2 ** 32 - 1)
  const answer = answerTo(req, 3)
  assert.equal(answer?.length, ANSWER_BYTES)
  assert.deepEqual(readAnswer(answer ?? Buffer.alloc(0)), { flow: 7, seq: 2 ** 32 - 1, index: 3 })
  assert.equal(answerTo(Buffer.alloc(REQUEST_HEADER - 1), 0), undefined)
  assert.equal(readAnswer(req), undefined)
})
