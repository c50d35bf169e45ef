// Which Node versions have the features the Node-owned modes need (src/proc/node.ts), at the edges.
// The edges of hasSocketTransfer were tried on the official builds: 24.19.0 and 26.5.1 refuse a
// net.Socket in postMessage's transfer list (ERR_INVALID_TRANSFER_OBJECT), 24.20.0 and 26.6.0 move it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hasBoundSocket, hasReusePort, hasSocketTransfer } from '../../src/proc/node.js'

test('listen({ reusePort }): 22.12+, 23.1+ and every later major', () => {
  assert.deepEqual(['v22.11.0', 'v22.12.0', 'v23.0.0', 'v23.1.0', 'v24.0.0', 'v20.20.2'].map(hasReusePort), [false, true, false, true, true, false])
})

test('net.BoundSocket: 24.19+, 26.4+ and every later major (not 25)', () => {
  assert.deepEqual(['v24.18.1', 'v24.19.0', 'v25.9.0', 'v26.3.1', 'v26.4.0', 'v27.0.0'].map(hasBoundSocket), [false, true, false, false, true, true])
})

test('a socket moved to a worker thread: 24.20+, 26.6+ and every later major', () => {
  assert.deepEqual(['v24.19.0', 'v24.20.0', 'v25.9.0', 'v26.5.1', 'v26.6.0', 'v27.0.0', 'v20.20.2', 'not a version'].map(hasSocketTransfer), [false, true, false, false, true, true, false, false])
})
