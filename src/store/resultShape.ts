/**
 * The shapes of a result and a probe document as `report` and `compare` read
 * them (report/shape.ts): every field that reaches a table, a chart or a file
 * name, with its type and range. Modes come from the listener registry, so a
 * mode is never markup and never a path.
 */
import { MODE_NAMES, MODES } from '../topology/kinds/index.js'
import type { Shape } from '../shape.js'
import { array, either, int, nullable, object, oneOf, optional, record } from '../shape.js'

/** Runs a result may hold: a grid has at most 500 cells, and the tcp_migrate_req variant repeats each once. */
export const MAX_RUNS = 2000

const latency = object({ count: 'count', mean: 'number', p50: 'number', p90: 'number', p99: 'number', p999: 'number', max: 'number' })
const fairness = object({ jain: nullable('number'), maxMinRatio: nullable('number'), cov: nullable('number'), busiestShare: nullable('number'), idle: 'count' })
const feature = object({ id: 'string', what: 'string', firstLinux: 'string', found: nullable('boolean'), detail: 'string' })
const facts = object({ platform: 'string', release: 'string', arch: 'string', cpus: 'count', cpuModel: 'string', memoryBytes: 'number', node: 'string', hostname: 'string', sysctls: record('string'), kernelFeatures: optional(array(feature, 32)) })

const listener = object({
  index: 'count',
  pid: 'count',
  tid: optional('count'),
  accepts: 'count',
  requests: 'count',
  errors: 'count',
  resets: 'count',
  cpuMs: 'number',
  rssBytes: 'number',
  histogram: 'string',
  latencyUs: latency,
  loopDelayMs: optional(record(nullable('number'))),
  loopUtilization: optional('number'),
  peers: optional(record('count')),
  replacedPids: optional(array('count'))
})

const client = object({
  responses: 'count',
  sent: optional('count'),
  errors: 'count',
  timeouts: 'count',
  non2xx: 'count',
  connectionsOpened: 'count',
  durationSec: 'number',
  rps: 'number',
  bytes: 'number',
  latencyMs: latency,
  histogram: 'string',
  correctedLatencyMs: optional(latency),
  correctedHistogram: optional('string'),
  byListener: array(object({ index: 'count', responses: 'count', latencyMs: latency, histogram: optional('string') })),
  paced: optional(object({ intervalUs: 'number', intended: 'count', late: 'count', unsent: 'count' })),
  errorCodes: record('count'),
  errorTimesMs: optional(array('number'))
})

const run = object({
  mode: oneOf(MODE_NAMES),
  variant: optional('string'),
  trial: 'count',
  workers: 'count',
  port: 'count',
  startedAt: 'string',
  readyMs: 'number',
  socketOption: 'string',
  socketNote: 'string',
  load: object({ connections: 'count', durationSec: 'number', warmupSec: 'number', churn: 'count', rate: 'number', generator: optional(oneOf(['external'])) }),
  scenario: object({ workUs: optional('number'), stall: optional(object({ index: 'count', forMs: 'number', everyMs: 'number' })) }),
  client,
  loadGenerator: object({ userMs: 'number', systemMs: 'number', wallMs: 'number', coreShare: 'number', saturated: 'boolean', loopUtilization: optional(array('number')) }),
  listeners: array(listener),
  serverLatencyUs: latency,
  serverHistogram: 'string',
  fairness,
  requestFairness: fairness,
  memory: optional(object({ rssBytes: 'number', processes: 'count' })),
  placement: optional(object({ n: 'count', k: 'count', expectedJain: nullable('number'), jainRange: nullable(array('number')), pMoreSkewed: nullable('number'), pMoreEven: nullable('number'), classification: 'string', statistic: optional('number'), trials: optional('count') })),
  cpus: optional(object({ client: nullable(array('count')), listeners: nullable(array('count')), rule: 'string' })),
  listenerNode: optional('string'),
  bottleneck: optional(object({ kind: oneOf(['client-bound', 'listener-bound', 'rate-bound', 'unclear']) })),
  accounting: object({ clientConnections: 'count', listenerAccepts: 'count', acceptsMatch: 'boolean', clientResponses: 'count', listenerRequests: 'count', requestDifference: 'integer', explained: 'boolean', note: 'string' }),
  invalid: optional(object({ kind: oneOf(['foreign-socket', 'unanswered', 'errors', 'stalled']), reason: 'string' })),
  slice: optional(object({ round: 'count', position: 'count', idleCpuMs: 'number' })),
  warmup: optional(object({ seconds: 'number', steady: 'boolean', capSec: 'number', tickSec: 'number', tolerance: 'number', window: 'count', rps: array('number'), asFirst: optional(object({ ticks: 'count', level: 'number' })) })),
  samples: optional(object({ queues: optional(object({ intervalMs: optional('count'), tMs: optional(array('number')) })) }))
})

const cell = object({ group: 'string', experiment: 'string', reuseaddr: 'any', reuseport: 'any' })

/** A probe document (probe.json, or a result's `probe`). */
export const PROBE: Shape = object({
  platform: 'string',
  release: 'string',
  options: object({ ip: 'string', ip6: 'string', port: 'count', workers: 'count', sequence: 'count', spread: 'count' }),
  cells: array(cell, 10_000),
  acceptStyles: optional(array(object({ style: oneOf(['blocking', 'epoll-exclusive']), workers: 'count', sequence: array('count', 100_000), counts: array('count', 1024), total: 'count' }), 8)),
  migrationWakeup: optional(object({
    waitMs: 'count',
    tries: array(object({ waiter: oneOf(['epoll', 'blocking-accept']), connections: 'count', migrated: 'count', promptly: 'count', afterNext: 'count', lost: 'count', lastPromptMs: nullable('number') }), 100),
    outcomes: array(object({ waiter: oneOf(['epoll', 'blocking-accept']), outcome: oneOf(['prompt', 'waits-for-next', 'mixed', 'not-migrated']) }), 4),
    sentence: 'string'
  }))
})

/** Where a configuration's rounds stopped (a precision or a budget asked): read back as written, so every field that reaches a sentence is checked. */
const pairPrecision = object({ mode: oneOf(MODE_NAMES), against: oneOf(MODE_NAMES), workers: 'count', connections: 'count', ratio: 'number', rounds: 'count', halfWidth: nullable('number'), p99HalfWidth: nullable('number'), roundsNeeded: nullable('count'), precise: 'boolean' })
const precisionStop = object({ workers: 'count', connections: 'count', reason: oneOf(['resolved', 'budget', 'rounds', 'interrupted']), rounds: 'count', seconds: 'number', roundSec: 'number', precision: nullable('number'), pairs: array(pairPrecision, 256) })

/** The load drivers (load/drivers: a test holds the two lists equal) and steering policies (topology/steer/policies.ts) a plan may name. */
export const PLAN_DRIVER_NAMES = ['autocannon', 'paced'] as const
export const PLAN_STEER_NAMES = ['none', 'cpu', 'first', 'hash', 'two-choices', 'least-loaded'] as const
const cpuChoice = either(oneOf(['auto', 'all']), array(int(0, 65535), 65536, 1))

/** A result's plan: the fields every result has, and the ones that name a choice only among the allowed values. */
const plan = object({
  modes: array(oneOf(MODE_NAMES)), workers: 'count', connections: 'count', durationSec: 'number', warmupSec: 'number', churn: 'count', rate: 'number', trials: 'count', seed: 'count',
  driver: optional(oneOf(PLAN_DRIVER_NAMES)),
  steer: optional(oneOf(PLAN_STEER_NAMES)),
  steerArms: optional(record(oneOf(PLAN_STEER_NAMES))),
  clientCpus: optional(cpuChoice),
  listenerCpus: optional(cpuChoice),
  interleave: optional(oneOf(['rounds', 'cells'])),
  unstable: optional(oneOf(['leave-out', 'keep', 'rerun'])),
  clientThreads: optional(int(1, 256))
})

/** A result document (result.json). Its comparison, sweep and paired ratios are worked out again from its runs. */
export const RESULT: Shape = object({
  tool: object({ name: 'string', version: 'string' }),
  status: optional(oneOf(['complete', 'partial'])),
  label: 'string',
  createdAt: 'string',
  command: 'string',
  plan,
  host: facts,
  runs: array(run, MAX_RUNS),
  baseline: optional(oneOf(MODES)),
  precision: optional(array(precisionStop, 256)),
  probe: optional(PROBE)
})
