/**
 * One run record (a result's `runs[]`): a mode at one size and trial, with its listeners, its client and
 * what was made of them. Modes come from the listener registry, so a mode is never markup and never a path.
 */
import type { Shape } from '../shape.js'
import { array, literal, named, nullable, object, oneOf, openObject, optional, record } from '../shape.js'
import { fairness, hostFacts, latency, mode, placement } from './parts.js'
import { loadResultFields } from '../load/resultShape.js'
import { DATAGRAM_STATS, LOOP_DELAY, STEERING_SLOT } from '../topology/replies.js'

const ebpfPolicy = oneOf(['hash', 'two-choices', 'least-loaded'])

const listener = named('listener', object({
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
  loopDelayMs: optional(LOOP_DELAY),
  loopUtilization: optional('number'),
  peers: optional(record('count')),
  steering: optional(openObject({ attached: 'boolean', detached: optional('string') })),
  udp: optional(DATAGRAM_STATS),
  replacedPids: optional(array('count'))
}))

/** The stored client: the load's result without its CPU (the load generator's record holds it); fields older results lack are optional. */
const { cpu: _cpu, ...clientFields } = loadResultFields(latency)
const client = named('client', object({
  ...clientFields,
  requests: optional('count'),
  autocannonResponses: optional('count'),
  sent: optional('count'),
  bytes: 'number',
  errorTimesMs: optional(array('number'))
}))

const loadGenerator = object({
  userMs: 'number',
  systemMs: 'number',
  wallMs: 'number',
  coreShare: 'number',
  saturated: 'boolean',
  loopUtilization: optional(array('number')),
  placement: optional(array(object({ cpus: nullable(array('count')), lastCpu: nullable('count') })))
})

const steeringRecord = object({
  policy: ebpfPolicy,
  slots: array(STEERING_SLOT),
  runs: 'count',
  fallbacks: 'count',
  kernelRuns: nullable('count'),
  nsPerRun: nullable('number'),
  updates: 'count',
  updatesPerSec: 'number',
  resyncs: 'count',
  instructions: 'count',
  dump: optional(array('string'))
})

const scenario = object({
  workUs: optional('number'),
  stall: optional(object({ index: 'count', forMs: 'number', everyMs: 'number' })),
  steer: optional(object({ kind: oneOf(['cpu', 'first', 'hash', 'two-choices', 'least-loaded']), detached: 'string', program: optional(steeringRecord) })),
  stallShare: optional(object({ share: 'number', lo: nullable('number'), hi: nullable('number'), stalls: 'count', queued: 'count', opened: 'count' })),
  restart: optional(object({
    events: array(object({ index: 'count', atMs: 'number', drainMs: 'number' })),
    busyMs: 'number',
    windowMs: array('number', 2, 2),
    errorsInWindow: 'count',
    errorsOutsideWindow: 'count',
    errorCodes: record('count'),
    tcpMigrateReq: nullable('string')
  }))
})

const datagramAccounting = object({ sent: 'count', answered: 'count', lost: 'count', unanswered: 'count', received: 'count', drops: nullable('count'), notArrived: 'integer', closes: 'boolean' })
const accounting = object({ clientConnections: 'count', listenerAccepts: 'count', acceptsMatch: 'boolean', clientResponses: 'count', listenerRequests: 'count', requestDifference: 'integer', explained: 'boolean', note: 'string', datagrams: optional(datagramAccounting) })

const hostRecord = { via: 'string', version: 'string', facts: hostFacts, clock: object({ offsetMs: 'number', rttMs: 'number' }) } as const
const hosts = object({
  server: optional(object(hostRecord)),
  clients: array(object({ ...hostRecord, connections: 'count', rate: 'number', connectionsOpened: 'count', responses: 'count', errors: 'count', rps: 'number', latencyMs: latency, coreShare: 'number', startedAfterMs: 'number' })),
  clock: object({ assumption: 'string', largestOffsetMs: 'number', largestRttMs: 'number', startSpreadMs: 'number' })
})

const warmup = object({
  seconds: 'number', steady: 'boolean', capSec: 'number', tickSec: 'number', tolerance: 'number', window: 'count', rps: array('number'),
  asFirst: optional(object({ ticks: 'count', level: 'number' }))
})

/** A run record. */
export const modeRun: Shape = named('modeRun', object({
  mode: mode,
  variant: optional('string'),
  clientHost: optional(object({ clientNs: 'string', serverNs: 'string', serverAddress: 'string', clientAddresses: array('string') })),
  trial: 'count',
  workers: 'count',
  port: 'count',
  startedAt: 'string',
  readyMs: 'number',
  socketOption: 'string',
  socketNote: 'string',
  load: object({ connections: 'count', durationSec: 'number', warmupSec: 'number', churn: 'count', rate: 'number', generator: optional(literal('external')) }),
  scenario,
  client,
  loadGenerator,
  listeners: array(listener),
  serverLatencyUs: latency,
  serverHistogram: 'string',
  fairness,
  requestFairness: fairness,
  memory: optional(object({ rssBytes: 'number', processes: 'count' })),
  placement: optional(placement),
  cpus: optional(object({ client: nullable(array('count')), listeners: nullable(array('count')), rule: 'string' })),
  listenerNode: optional('string'),
  bottleneck: optional(object({ kind: oneOf(['client-bound', 'listener-bound', 'rate-bound', 'unclear']), clientShare: optional('number'), clientLoopBusy: optional('number'), listenerShare: optional('number'), listenerCapacity: optional('number') })),
  accounting,
  invalid: optional(object({ kind: oneOf(['foreign-socket', 'unanswered', 'errors', 'stalled']), reason: 'string' })),
  hosts: optional(hosts),
  /** By sampler name; the accept queues' times reach the report, so they are described. */
  samples: optional(openObject({ queues: optional(openObject({ intervalMs: optional('count'), tMs: optional(array('number')) })) })),
  slice: optional(object({ round: 'count', position: 'count', idleCpuMs: 'number' })),
  warmup: optional(warmup)
}))
