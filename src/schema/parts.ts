/**
 * The parts several documents share: latency summaries, fairness, estimates, random placement, the
 * host's facts and the tool that wrote a document. Fields present in every document this version
 * writes but missing from older ones are optional, so older documents still read.
 */
import { MODE_NAMES, MODES } from '../topology/kinds/index.js'
import type { Shape } from '../shape.js'
import { array, literal, named, nullable, object, oneOf, openObject, optional, record } from '../shape.js'
import { LATENCY_SUMMARY } from '../load/resultShape.js'

/** A listener kind's name, from the registry: never markup, never a path. */
export const mode = named('mode', oneOf(MODE_NAMES, `${MODES.join(', ')} (or one of them as NAME#2 to NAME#9)`))

export const tool = named('tool', object({ name: literal('reuseport-bench'), version: 'string' }))

export const latency = named('latency', LATENCY_SUMMARY)

export const fairness = named('fairness', object({ jain: nullable('number'), maxMinRatio: nullable('number'), cov: nullable('number'), busiestShare: nullable('number'), idle: 'count' }))

export const estimate = named('estimate', object({ median: 'number', lo: 'number', hi: 'number', n: 'count', method: optional(oneOf(['bootstrap', 'min-max', 'none'])) }))

export const placement = named('placement', object({
  n: 'count',
  k: 'count',
  method: optional(oneOf(['simulation', 'chi-square', 'none'])),
  expectedJain: nullable('number'),
  jainRange: nullable(array('number', 2, 2)),
  pMoreSkewed: nullable('number'),
  pMoreEven: nullable('number'),
  classification: 'string',
  statistic: optional('number'),
  connectionsToResolve: optional(nullable('count')),
  trials: optional('count')
}))

const feature = named('kernelFeature', object({ id: 'string', what: 'string', firstLinux: 'string', found: nullable('boolean'), detail: 'string' }))

const capabilities = named('capabilities', object({
  SO_REUSEPORT: 'boolean',
  SO_REUSEPORT_LB: 'boolean',
  IPV6_V6ONLY: 'boolean',
  SO_ATTACH_REUSEPORT_CBPF: 'boolean',
  reuseportBalances: 'boolean',
  cpuAffinity: optional('boolean'),
  SO_INCOMING_CPU: optional('boolean')
}))

/** The machine a document was measured on. */
export const hostFacts: Shape = named('hostFacts', object({
  platform: 'string',
  release: 'string',
  arch: 'string',
  cpus: 'count',
  cpuModel: 'string',
  memoryBytes: 'number',
  node: 'string',
  hostname: 'string',
  sysctls: record('string'),
  capabilities: optional(capabilities),
  addon: optional('string'),
  virtualization: optional(object({ kind: oneOf(['none', 'virtual', 'emulated', 'unknown']), evidence: 'string' })),
  kernelFeatures: optional(array(feature, 32))
}))

/** Figures of a sampler, by its name: each sampler's own payload. */
export const samples = record(openObject({}))

/** A part of the plan that was not run, and why. */
export const notRun = named('notRun', object({ what: 'string', reason: 'string' }))
