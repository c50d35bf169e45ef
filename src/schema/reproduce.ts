/**
 * The reproduce document (reproduce.json): each published study, what it claimed, what this host
 * measured and what each check found.
 */
import type { Shape } from '../shape.js'
import { array, either, literal, nullable, object, oneOf, optional } from '../shape.js'
import { hostFacts, tool } from './parts.js'

const source = object({ title: 'string', url: 'string', year: 'count', where: optional('string') })
const figure = object({ what: 'string', value: either('number', 'string'), unit: 'string', quote: 'string', quotedFrom: optional('string') })

const check = object({
  shape: 'string',
  claim: 'string',
  measured: 'string',
  value: nullable(object({ median: 'number', lo: nullable('number'), hi: nullable('number'), unit: 'string' })),
  finding: oneOf(['reproduced', 'contradicted', 'inconclusive', 'not run']),
  why: 'string'
})

const study = object({
  id: 'string',
  title: 'string',
  source,
  published: object({ setup: 'string', figures: array(figure) }),
  scaling: 'string',
  status: oneOf(['run', 'not run']),
  reason: optional('string'),
  differences: array('string'),
  checks: array(check),
  seconds: 'number',
  file: optional('string'),
  sharedRunOf: optional('string'),
  unsaved: optional('string')
})

/** A reproduce document. */
export const reproduce: Shape = object({
  $schema: optional('string'),
  schemaVersion: literal(1),
  kind: literal('reproduce'),
  status: oneOf(['complete', 'partial']),
  tool,
  createdAt: 'string',
  command: 'string',
  quick: 'boolean',
  host: hostFacts,
  estimateSec: 'number',
  seconds: 'number',
  studies: array(study)
})

