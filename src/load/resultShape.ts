/**
 * The declared shape of a load's result (types/load.ts LoadResult) as it
 * arrives from another thread, process or host: what the orchestrator checks
 * every load reply against before it merges or stores a figure.
 */
import { array, nullable, object, optional, record } from '../shape.js'
import type { Shape } from '../shape.js'
import type { RemoteReplies } from '../remote/replies.js'

export const LATENCY_SUMMARY: Shape = object({ count: 'count', mean: 'number', p50: 'number', p90: 'number', p99: 'number', p999: 'number', max: 'number' })

const placement = object({ cpus: nullable(array('count')), lastCpu: nullable('count') })

/** The fields of a load's result, its latency summaries in `latency`'s shape (the result schema names it once). */
export function loadResultFields (latency: Shape): Record<string, Shape> {
  return {
    requests: 'count',
    responses: 'count',
    autocannonResponses: 'count',
    sent: 'count',
    errors: 'count',
    timeouts: 'count',
    non2xx: 'count',
    connectionsOpened: 'count',
    durationSec: 'number',
    rps: 'number',
    bytes: 'count',
    latencyMs: latency,
    histogram: 'string',
    correctedLatencyMs: optional(latency),
    correctedHistogram: optional('string'),
    cpu: object({ userMs: 'number', systemMs: 'number', wallMs: 'number', coreShare: 'number', saturated: 'boolean', loopUtilization: optional(array('number')), placement: optional(array(placement)) }),
    byListener: array(object({ index: 'count', responses: 'count', latencyMs: latency, histogram: optional('string') })),
    paced: optional(object({ intervalUs: 'number', intended: 'count', late: 'count', unsent: 'count' })),
    udp: optional(object({ unanswered: 'count', flowListeners: 'count', splitFlows: 'count' })),
    errorCodes: record('count'),
    errorTimesMs: array('number')
  }
}

export const LOAD_RESULT: Shape = object(loadResultFields(LATENCY_SUMMARY))

/** What a client host answers its load with (the common replies are remote/replies.ts's). */
export const LOAD_HOST_REPLIES: RemoteReplies = {
  load: object({ result: LOAD_RESULT, startedAtMs: 'number', lateMs: 'number' })
}
