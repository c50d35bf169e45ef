// What a UDP plan takes: --heavy-flows read as K flows and a share, and the refusals of a UDP plan
// (the one-line messages are bad-input.test.ts's).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { heavyFlows } from '../../src/plan/udp.js'
import { buildPlan } from '../../src/plan/validate.js'

test('--heavy-flows K:SHARE: a share as a percentage or a fraction, fewer heavy flows than the fewest of a cell', () => {
  const plan = buildPlan({ protocol: 'udp', rate: 1000, connections: '8,16' })
  assert.deepEqual(heavyFlows('1:50%', plan), { flows: 1, share: 0.5 })
  assert.deepEqual(heavyFlows(' 7:0.25 ', plan), { flows: 7, share: 0.25 })
  assert.throws(() => heavyFlows('8:50%', plan), /8 heavy flows leave none of the 8 flows/)
  for (const bad of ['1', '1:0', '1:100%', 'a:50%', ':50%']) assert.throws(() => heavyFlows(bad, plan), /--heavy-flows must be K:SHARE/, bad)
})

test('a UDP plan records its protocol, datagram size and heavy flows; a TCP plan none of the UDP fields', () => {
  const udp = buildPlan({ protocol: 'udp', rate: 1000, heavyFlows: '1:80%' })
  assert.equal(udp.protocol, 'udp')
  assert.equal(udp.driver, 'dgram')
  assert.equal(udp.datagramBytes, 64)
  assert.deepEqual(udp.heavyFlows, { flows: 1, share: 0.8 })
  const tcp = buildPlan({})
  assert.equal(tcp.protocol, 'tcp')
  assert.equal(tcp.datagramBytes, undefined)
  assert.equal(tcp.heavyFlows, undefined)
})
