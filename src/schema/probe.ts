/**
 * The probe document (probe.json, or a result's `probe`): the article's bind/listen matrix as this host
 * answered it, extra rows, which listener took each sequential connection, and the accept and migration
 * experiments.
 */
import type { Shape } from '../shape.js'
import { array, literal, named, nullable, object, oneOf, optional } from '../shape.js'
import { fairness, hostFacts, mode, tool } from './parts.js'

const bit = { either: [literal(0), literal(1)] } as const

const cell = named('probeCell', object({
  experiment: 'string',
  group: 'string',
  addrA: optional('string'),
  addrB: optional('string'),
  reuseaddr: bit,
  reuseport: bit,
  outcome: optional('string'),
  failedAt: optional('string'),
  expected: optional(nullable(oneOf(['ok', 'EADDRINUSE']))),
  expectedSource: optional('string'),
  matches: optional(nullable('boolean')),
  extra: optional('boolean'),
  note: optional('string'),
  pair: optional(oneOf(['specific-specific', 'any-any', 'specific-any']))
}))

const order = (key: 'mode' | 'style', what: Shape): Shape => object({ [key]: what, workers: 'count', sequence: array('count', 100_000), counts: array('count', 1024), total: 'count', fairness: optional(fairness) })

const waiter = oneOf(['epoll', 'blocking-accept'])
const migrationWakeup = object({
  waitMs: 'count',
  tries: array(object({ waiter, connections: 'count', migrated: 'count', promptly: 'count', afterNext: 'count', lost: 'count', lastPromptMs: nullable('number') }), 100),
  outcomes: array(object({ waiter, outcome: oneOf(['prompt', 'waits-for-next', 'mixed', 'not-migrated']) }), 4),
  sentence: 'string'
})

/** One row of who received what on a shared UDP port (also the shape of the probe child's reply, probe/replies.ts). */
export const DATAGRAM_DELIVERY_ROW: Shape = object({ option: oneOf(['SO_REUSEPORT', 'SO_REUSEADDR']), cast: oneOf(['unicast', 'broadcast', 'multicast']), sent: 'count', received: array('count', 64) })

const datagramDelivery = object({
  sockets: 'count',
  address: 'string',
  group: 'string',
  rows: array(DATAGRAM_DELIVERY_ROW, 16),
  claims: array(object({ os: oneOf(['linux', 'freebsd']), words: 'string', source: 'string', here: oneOf(['holds', 'does not hold', "man page only (not this host's OS)"]) }), 8),
  sentence: 'string'
})

/** A probe document. */
export const probe: Shape = named('probe', object({
  $schema: optional('string'),
  schemaVersion: literal(1),
  kind: literal('probe'),
  tool: optional(tool),
  createdAt: optional('string'),
  command: optional('string'),
  platform: 'string',
  release: 'string',
  host: optional(hostFacts),
  options: object({ ip: 'string', ip6: 'string', port: 'count', workers: 'count', sequence: 'count', spread: 'count' }),
  comparedWith: optional(nullable('string')),
  summary: optional(object({ articleCells: 'count', articleMatches: 'count', mismatches: 'count' })),
  cells: array(cell, 10_000),
  skipped: optional(array(object({ rows: 'string', reason: 'string' }))),
  acceptOrder: optional(array(order('mode', mode))),
  acceptStyles: optional(array(order('style', oneOf(['blocking', 'epoll-exclusive'])), 8)),
  migrationWakeup: optional(migrationWakeup),
  datagramDelivery: optional(datagramDelivery)
}))
