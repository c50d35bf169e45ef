/**
 * The compare document (compare.json, beside compare.html): which results were put side by side, how
 * their plans differ, and each cell's medians in every result with its ratios to the first.
 */
import type { Shape } from '../shape.js'
import { array, literal, nullable, object, optional } from '../shape.js'
import { tool } from './parts.js'

const figures = object({ trials: 'count', rps: 'number', p99Ms: 'number', jain: nullable('number'), busiestShare: nullable('number') })

const cell = object({
  label: 'string',
  workers: 'count',
  connections: 'count',
  /** One entry per input, in their order: null where that result did not run the cell. */
  figures: array(nullable(figures)),
  /** Each input's median req/s and p99 over the first input's, null where either is missing. */
  rpsRatio: array(nullable('number')),
  p99Ratio: array(nullable('number'))
})

/** A compare document. */
export const compare: Shape = object({
  $schema: optional('string'),
  schemaVersion: literal(1),
  kind: literal('compare'),
  tool,
  createdAt: 'string',
  command: 'string',
  inputs: array(object({ name: 'string', file: 'string', label: 'string', createdAt: 'string', platform: 'string', release: 'string', arch: 'string', status: 'string' }), 64, 2),
  planDifferences: array('string'),
  headline: array('string'),
  cells: array(cell)
})
