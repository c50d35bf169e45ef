// Where a UDP load's datagrams went: the client's, the listeners' and their sockets' drops, each socket once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { accountDatagrams, datagramsOf, flowsExplained, socketDrops } from '../../src/analyse/datagramAccounting.js'
import type { DatagramStats } from '../../src/types/listener.js'

const udp = (datagrams: number, flows: number, drops: number | null, socket: string | null): { accepts: number, udp: DatagramStats } => ({ accepts: flows, udp: { datagrams, flows, drops, queued: 0, socket } })
const client = (sent: number, responses: number, timeouts: number, unanswered: number, flowListeners: number, splitFlows = 0) => ({ sent, responses, timeouts, udp: { unanswered, flowListeners, splitFlows } })

test('an exact load: every datagram answered, the flows as the client saw them answered', () => {
  const a = accountDatagrams(client(100, 100, 0, 0, 8), [udp(60, 5, 0, '1'), udp(40, 3, 0, '2')])
  assert.equal(a.note, 'exact')
  assert.ok(a.acceptsMatch && a.explained && a.datagrams?.closes === true)
  assert.deepEqual(a.datagrams, { sent: 100, answered: 100, lost: 0, unanswered: 0, received: 100, drops: 0, notArrived: 0, closes: true })
})

test('one socket read by several processes counts its drops once', () => {
  assert.equal(socketDrops([udp(1, 1, 7, 's'), udp(1, 1, 7, 's'), udp(1, 1, 2, 't')]), 9)
  assert.equal(socketDrops([udp(1, 1, 7, 's'), udp(1, 1, null, null)]), null)
})

test('drops and datagrams on their way at the stop close the accounting; more missing than the client saw unanswered does not', () => {
  // 1000 sent: 700 read and answered, 250 dropped at a full buffer, 50 still queued: the client lost 250 and had 50 unanswered.
  const full = datagramsOf(client(1000, 700, 250, 50, 4), [udp(700, 4, 250, 'x')])
  assert.equal(full.notArrived, 50)
  assert.equal(full.closes, true)
  const a = accountDatagrams(client(1000, 700, 250, 50, 4), [udp(700, 4, 250, 'x')])
  assert.match(a.note, /dropped 250 datagrams/)
  assert.match(a.note, /50 datagrams were on their way/)
  // The same without the drops: 300 not arrived, but only 300 unanswered or lost... one more is unexplained.
  const missing = datagramsOf(client(1001, 700, 250, 50, 4), [udp(700, 4, 0, 'x')])
  assert.equal(missing.closes, false)
  assert.match(accountDatagrams(client(1001, 700, 250, 50, 4), [udp(700, 4, 0, 'x')]).note, /the client's own figures do not add up/)
})

test('a sender outside the run shows as datagrams the client never sent', () => {
  const a = accountDatagrams(client(100, 100, 0, 0, 2), [udp(130, 3, 0, 'x')])
  assert.equal(a.datagrams?.notArrived, -30)
  assert.equal(a.explained, false)
  assert.match(a.note, /another sender on this port/)
  assert.equal(a.acceptsMatch, false)
})

test('flows the listeners saw whose answers were still on their way add up; more than those datagrams do not', () => {
  // Measured under emulation (Linux 6.12 in QEMU, 500 flows): 568 received, 300 answered on 300 flows, the listeners saw 451.
  const slow = accountDatagrams(client(730, 300, 0, 430, 300), [udp(286, 229, 70, 'a'), udp(282, 222, 92, 'b')])
  assert.equal(slow.acceptsMatch, false)
  assert.equal(flowsExplained(slow), true, '151 more pairs than answered, with 268 answers still on their way')
  assert.match(slow.note, /the listeners saw 451 flow-listener pairs, the client 300/)
  // Ten pairs more than the datagrams whose answers are missing: only another sender explains them.
  assert.equal(flowsExplained(accountDatagrams(client(100, 90, 0, 10, 20), [udp(100, 40, 0, 'a')])), false)
  assert.equal(flowsExplained(accountDatagrams(client(100, 100, 0, 0, 8), [udp(100, 8, 0, 'a')])), true, 'exact')
  assert.equal(flowsExplained(accountDatagrams(client(100, 100, 0, 0, 9), [udp(100, 8, 0, 'a')])), false, 'the client saw a pair no listener had: another answerer')
  assert.equal(flowsExplained({ listenerAccepts: 8, clientConnections: 8 }), false, 'a TCP cell has no datagrams to explain flows with')
})
