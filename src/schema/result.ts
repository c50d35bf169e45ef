/**
 * The result document (result.json): the plan, the host, every run record, and what was worked out from
 * them (comparisons, the sweep, paired ratios, the host check, where precision stopped). The reader works
 * the comparison, sweep and paired ratios out again from the runs; they are described for other readers.
 */
import { DATAGRAM_BYTES } from '../limits.js'
import { LOAD_DRIVERS } from '../load/drivers/index.js'
import { MODES } from '../topology/kinds/index.js'
import { STEER_NAMES } from '../topology/steer/policies.js'
import type { Shape } from '../shape.js'
import { array, either, int, literal, named, nullable, object, oneOf, optional, record } from '../shape.js'
import { estimate, hostFacts, mode, notRun, placement, samples, tool } from './parts.js'
import { modeRun } from './run.js'
import { probe } from './probe.js'

/** Runs a result may hold: a grid has at most 500 cells, and the tcp_migrate_req variant repeats each once. */
export const MAX_RUNS = 2000

/** The load drivers and steering policies a plan may name: the registries' own (load/drivers, topology/steer/policies.ts). */
export const PLAN_DRIVER_NAMES: readonly string[] = LOAD_DRIVERS.map(d => d.name)
export const PLAN_STEER_NAMES: readonly string[] = [...new Set(['none', ...STEER_NAMES])]
const cpuChoice = either(oneOf(['auto', 'all']), array(int(0, 65535), 65536, 1))

/** A result's plan: the fields every result has, and the ones that name a choice only among the allowed values. */
const plan = named('plan', object({
  modes: array(mode), workers: 'count', connections: 'count', durationSec: 'number', warmupSec: 'number', churn: 'count', rate: 'number', trials: 'count', seed: 'count',
  driver: optional(oneOf(PLAN_DRIVER_NAMES)),
  protocol: optional(oneOf(['tcp', 'udp'])),
  datagramBytes: optional(int(DATAGRAM_BYTES.least, DATAGRAM_BYTES.most)),
  heavyFlows: optional(object({ flows: 'count', share: 'number' })),
  udpConnect: optional('boolean'),
  udpConnectArms: optional(array(mode)),
  pipelining: optional(int(1, 256)),
  host: optional('string'),
  port: optional('count'),
  backlog: optional('count'),
  pauseSec: optional('number'),
  interleave: optional(oneOf(['rounds', 'cells'])),
  sliceSec: optional('number'),
  unstable: optional(oneOf(['leave-out', 'keep', 'rerun'])),
  instrument: optional('boolean'),
  label: optional('string'),
  workUs: optional('number'),
  stall: optional(nullable(object({ index: 'count', forMs: 'number', everyMs: 'number' }))),
  steer: optional(oneOf(PLAN_STEER_NAMES)),
  steerArms: optional(record(oneOf(PLAN_STEER_NAMES))),
  dumpSteering: optional('boolean'),
  restart: optional('boolean'),
  restartBusyMs: optional('number'),
  precision: optional(nullable('number')),
  maxTimeSec: optional(nullable('number')),
  sweep: optional(object({ workers: array('count'), connections: array('count') })),
  failIf: optional(array('string')),
  clientNetns: optional('boolean'),
  clientAddrs: optional('count'),
  clientThreads: optional(int(1, 256)),
  clientCpus: optional(cpuChoice),
  listenerCpus: optional(cpuChoice),
  queueSampleMs: optional('count'),
  deadlineScale: optional('number'),
  node: optional(nullable('string')),
  handler: optional(nullable('string')),
  attribution: optional('boolean'),
  target: optional(nullable(object({ host: 'string', port: 'count' }))),
  serverVia: optional(nullable('string')),
  clientVia: optional(array('string')),
  remoteCommand: optional(nullable('string'))
}))

const comparison = object({ mode: 'string', workers: 'count', connections: optional('count'), trial: optional('count'), baseline: 'string', throughputRatio: nullable('number'), p99Ratio: nullable('number'), jainRatio: nullable('number') })

const sweepCell = object({
  mode: 'string', workers: 'count', connections: 'count', trials: 'count', rps: estimate, p99Ms: estimate, jain: estimate, pooledP99Ms: 'number',
  placement: optional(placement),
  busiest: optional(object({ top: 'count', k: 'count', connections: 'count', share: estimate, random: array('number', 2, 2) })),
  memory: optional(object({ rssMiB: estimate, processes: 'count' })),
  hostUnstable: optional(literal(true))
})

const pairedRatio = named('pairedRatio', object({ ratio: 'number', lo: nullable('number'), hi: nullable('number'), pairs: array('number'), finding: oneOf(['higher', 'lower', 'no measurable difference', 'no interval']), trialsToResolve: nullable('count') }))
const paired = object({ mode: 'string', against: 'string', workers: 'count', connections: 'count', throughput: pairedRatio, p99: pairedRatio, hostUnstable: optional(literal(true)) })

/** Where a configuration's rounds stopped (a precision or a budget asked): read back as written, so every field that reaches a sentence is checked. */
const pairPrecision = object({ mode: mode, against: mode, workers: 'count', connections: 'count', ratio: 'number', rounds: 'count', halfWidth: nullable('number'), p99HalfWidth: nullable('number'), roundsNeeded: nullable('count'), precise: 'boolean' })
const precisionStop = object({ workers: 'count', connections: 'count', reason: oneOf(['resolved', 'budget', 'rounds', 'interrupted']), rounds: 'count', seconds: 'number', roundSec: 'number', precision: nullable('number'), pairs: array(pairPrecision, 256) })

const nullableNumber = nullable('number')
const hostCheck = object({
  unit: oneOf(['round', 'trial']),
  rounds: 'count',
  leftOut: array(object({ workers: 'count', connections: 'count', trial: 'count', reasons: array('string') })),
  speedMovedMax: nullableNumber,
  speedDrift: nullableNumber,
  foreignMean: nullableNumber,
  foreignMin: optional(nullableNumber),
  foreignMax: nullableNumber,
  stealMax: nullableNumber,
  kept: optional('boolean'),
  notComparable: optional(array(object({ workers: 'count', connections: 'count' }))),
  statement: 'string'
})

/** A result document (result.json). */
export const result: Shape = object({
  $schema: optional('string'),
  schemaVersion: literal(1),
  tool,
  status: optional(oneOf(['complete', 'partial'])),
  failure: optional(object({ code: 'string', message: 'string' })),
  label: 'string',
  createdAt: 'string',
  command: 'string',
  plan,
  host: hostFacts,
  samples: optional(samples),
  runs: array(modeRun, MAX_RUNS),
  baseline: optional(oneOf(MODES)),
  comparison: optional(array(comparison)),
  notes: optional(record('string')),
  probe: optional(probe),
  fixture: optional('string'),
  sweep: optional(array(sweepCell)),
  paired: optional(array(paired)),
  skipped: optional(array(notRun)),
  hostCheck: optional(hostCheck),
  precision: optional(array(precisionStop, 256))
})
