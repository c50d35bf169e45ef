// What the rows of who-received-what say of the man pages' promises, and in words.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { claimsOf, sentenceOf } from '../../src/probe/datagramDelivery.js'
import type { DatagramDeliveryRow } from '../../src/types/probe.js'

const rows = (unicast: number[], copies: number[]): DatagramDeliveryRow[] => [
  { option: 'SO_REUSEPORT', cast: 'unicast', sent: unicast.reduce((a, b) => a + b, 0), received: unicast },
  { option: 'SO_REUSEPORT', cast: 'broadcast', sent: 1, received: copies },
  { option: 'SO_REUSEPORT', cast: 'multicast', sent: 1, received: copies },
  { option: 'SO_REUSEADDR', cast: 'unicast', sent: 6, received: [0, 0, 6] },
  { option: 'SO_REUSEADDR', cast: 'broadcast', sent: 1, received: [1, 1, 1] },
  { option: 'SO_REUSEADDR', cast: 'multicast', sent: 1, received: [1, 1, 1] }
]

test("Linux's promise holds where unicast datagrams spread over the group, each to one socket; not where one socket takes them all", () => {
  assert.equal(claimsOf(rows([2, 3, 1], [1, 1, 1]), 'linux')[0]?.here, 'holds')
  assert.equal(claimsOf(rows([0, 6, 0], [1, 1, 1]), 'linux')[0]?.here, 'does not hold')
})

test("FreeBSD's promise is its man page's alone on Linux, and judged by the copies on FreeBSD", () => {
  assert.equal(claimsOf(rows([2, 3, 1], [1, 1, 1]), 'linux')[1]?.here, "man page only (not this host's OS)")
  assert.equal(claimsOf(rows([6, 0, 0], [1, 1, 1]), 'freebsd')[1]?.here, 'holds')
  assert.equal(claimsOf(rows([6, 0, 0], [1, 0, 0]), 'freebsd')[1]?.here, 'does not hold')
  assert.equal(claimsOf(rows([6, 0, 0], [1, 0, 0]), 'freebsd')[0]?.here, "man page only (not this host's OS)")
})

test('the sentence gives each option\'s split of the unicast datagrams and the sockets the copies reached', () => {
  const s = sentenceOf(rows([2, 3, 1], [1, 1, 0]), 3)
  assert.match(s, /with SO_REUSEPORT on every socket, 6 unicast datagrams \(each from its own 4-tuple\) went 2\/3\/1; the broadcast reached 2 of 3, the multicast reached 2 of 3/)
  assert.match(s, /with SO_REUSEADDR on every socket, 6 unicast datagrams \(each from its own 4-tuple\) went 0\/0\/6/)
})
