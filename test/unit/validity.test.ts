// Which cells measure their listeners (analyse/validity.ts): pure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { account } from '../../src/analyse/accounting.js'
import { judgeCell, measured } from '../../src/analyse/validity.js'
import { accountDatagrams } from '../../src/analyse/datagramAccounting.js'

const plan = { churn: 0, instrument: true, restart: false, rate: 0 }
interface Client { sent: number, responses: number, errors: number, timeouts: number, connectionsOpened: number, non2xx: number, rps: number, latencyMs: { mean: number } }
// 5,000 answers in 1 s over 50 connections at 10 ms each: the connections busy all the time.
const client = (o: Partial<Client>): Client =>
  ({ sent: 5050, responses: 5000, errors: 0, timeouts: 0, connectionsOpened: 50, non2xx: 0, rps: 5000, latencyMs: { mean: 10 }, ...o })
const judge = (c: ReturnType<typeof client>, accepts: number, requests: number, p = plan): ReturnType<typeof judgeCell> =>
  judgeCell(p, 50, c, account({ connections: 50, churn: p.churn }, c, [{ accepts, requests }]))

test('a cell whose client and listeners agree (one request in flight per connection) stands', () => {
  assert.equal(judge(client({}), 50, 5050), undefined)
})

test('two runs on one port: accepts the client never opened, connections accepted elsewhere, responses never sent', () => {
  assert.equal(judge(client({}), 73, 8000)?.kind, 'foreign-socket')
  assert.match(judge(client({}), 49, 5050)?.reason ?? '', /1 of the client's 50 connections were accepted by a socket outside this run/)
  assert.match(judge(client({ responses: 10696 }), 50, 5000)?.reason ?? '', /received 5696 responses that these listeners never sent/)
})

test('what a run itself explains is not foreign: churn in the last instant, errors, no instrumentation', () => {
  assert.equal(judge(client({ connectionsOpened: 5000 }), 5040, 5050, { ...plan, churn: 1 }), undefined)
  assert.equal(judge(client({ errors: 3 }), 47, 5050), undefined)
  assert.equal(judge(client({}), 50, 0, { ...plan, instrument: false }), undefined)
})

test('a server that never answers (or answers few) is no measurement: no data, not a latency of 0', () => {
  assert.match(judge(client({ sent: 50, responses: 0 }), 50, 50)?.reason ?? '', /answered none of the 50 requests/)
  assert.equal(judge(client({ sent: 50, responses: 0 }), 50, 50)?.kind, 'unanswered')
  assert.match(judge(client({ sent: 0, responses: 0, connectionsOpened: 0 }), 0, 0)?.reason ?? '', /no request/)
  assert.equal(judge(client({ sent: 4000, responses: 1000 }), 50, 4000)?.kind, 'unanswered')
  assert.equal(judge(client({ sent: 1050, responses: 1000 }), 50, 1050), undefined, 'in flight, not unanswered')
})

test('most answers errors (not 2xx) is a measurement of failures, not a throughput', () => {
  assert.equal(judge(client({ non2xx: 2500 }), 50, 5050), undefined, 'half is not most')
  const e = judge(client({ non2xx: 5000 }), 50, 5050)
  assert.deepEqual([e?.kind, e?.reason], ['errors', '5000 of 5000 responses were not 2xx: the listeners answered with errors, which is not a throughput to rank'])
})

test('connections that mostly wait on answers that never come: the answered requests keep them busy a sliver of the time', () => {
  // A handler that answers every other request: each connection stuck after its first answer (7 req/s over 8 connections at 1 ms).
  const stuck = judgeCell(plan, 8, client({ sent: 16, responses: 8, rps: 7, latencyMs: { mean: 1 }, connectionsOpened: 8 }), account({ connections: 8, churn: 0 }, client({ sent: 16, responses: 8, connectionsOpened: 8 }), [{ accepts: 8, requests: 16 }]))
  assert.equal(stuck?.kind, 'stalled')
  assert.match(stuck?.reason ?? '', /the 8 connections were busy with answered requests 0\.1% of the time \(7\.0 req\/s at a mean of 1\.00 ms\)/)
  assert.equal(judge(client({ rps: 300, latencyMs: { mean: 10 } }), 50, 5050), undefined, '6% busy (a slow client) stands')
  assert.equal(judge(client({ rps: 100, latencyMs: { mean: 1 } }), 50, 5050, { ...plan, rate: 100 }), undefined, 'a fixed rate leaves connections idle by design')
})

test('measured keeps only the cells that stand', () => {
  const runs = [{ invalid: undefined, n: 1 }, { invalid: { kind: 'unanswered' as const, reason: 'x' }, n: 2 }]
  assert.deepEqual(measured(runs).map(r => r.n), [1])
})

test('UDP: flows whose answers were on their way at the stop are not another sender; datagrams or flows beyond them are', () => {
  const udpClient = (sent: number, responses: number, unanswered: number, flowListeners: number) =>
    ({ ...client({ sent, responses, connectionsOpened: 500, rps: responses, latencyMs: { mean: 1000 } }), udp: { unanswered, flowListeners, splitFlows: 0 } })
  const listener = (datagrams: number, flows: number, drops: number) => ({ accepts: flows, requests: datagrams, udp: { datagrams, flows, drops, queued: 0, socket: String(flows) } })
  const judgeUdp = (c: ReturnType<typeof udpClient>, ls: Array<ReturnType<typeof listener>>) => judgeCell(plan, 500, c, accountDatagrams(c, ls))
  assert.equal(judgeUdp(udpClient(730, 300, 430, 300), [listener(286, 229, 70), listener(282, 222, 92)]), undefined, '151 pairs more, 268 answers on their way')
  assert.match(judgeUdp(udpClient(100, 90, 10, 20), [listener(100, 40, 0)])?.reason ?? '', /20 more flow-listener pairs .* than the 10 datagrams whose answers were still on their way: another sender/)
  assert.match(judgeUdp(udpClient(100, 100, 0, 2), [listener(130, 3, 0)])?.reason ?? '', /received 30 more datagrams than the client sent/)
  assert.match(judgeUdp(udpClient(100, 100, 0, 9), [listener(100, 8, 0)])?.reason ?? '', /another process answered on this port/)
})
