/**
 * The declared shapes of what listeners answer (ListenerProtocol and
 * PrimaryProtocol in types/listener.ts, and a server host's replies): checked
 * on every reply before the group, the engine or a report uses a figure.
 */
import { array, nullable, object, optional, record } from '../shape.js'
import type { Shape } from '../shape.js'
import type { ReplyShapes } from '../ipc/protocol.js'
import type { ListenerProtocol, PrimaryProtocol } from '../types/listener.js'
import { SERVER_STARTED } from '../remote/replies.js'
import type { RemoteReplies } from '../remote/replies.js'

const steeringIds = object({ sockarray: 'integer', load: 'integer', prog: 'integer' })

/** An eBPF steering slot's counts, and a listener's event-loop delay: as a listener reports them and as a result stores them. */
export const STEERING_SLOT: Shape = object({ assigned: 'count', accepted: 'count', open: 'count' })
export const LOOP_DELAY: Shape = object({ p50: nullable('number'), p99: nullable('number'), max: nullable('number') })

const steeringState = object({
  policy: 'string',
  ids: steeringIds,
  slots: array(STEERING_SLOT),
  runs: 'count',
  fallbacks: 'count',
  runCnt: 'count',
  runTimeNs: 'count',
  updates: 'count',
  resyncs: 'count',
  insns: optional('string')
})

/** A UDP listener's own figures (types/listener.ts DatagramStats). */
export const DATAGRAM_STATS: Shape = object({ datagrams: 'count', flows: 'count', drops: nullable('integer'), queued: nullable('count'), socket: nullable('string'), connected: optional('count'), onConnected: optional('count') })

const stats = object({
  accepts: 'count',
  requests: 'count',
  errors: 'count',
  resets: 'count',
  open: 'count',
  cpuUserUs: 'number',
  cpuSystemUs: 'number',
  rssBytes: 'number',
  histogram: 'string',
  loopDelayMs: LOOP_DELAY,
  loopUtilization: optional('number'),
  peers: record('count'),
  steering: optional(object({ attached: 'boolean', detached: optional('string'), ebpf: optional(steeringState) })),
  stallWindows: optional(array(object({ queued: 'count', opened: 'count' }))),
  udp: optional(DATAGRAM_STATS)
})

export const LISTENER_READY: Shape = object({ index: 'count', pid: 'count', port: 'count', tid: optional('count'), steering: optional(steeringIds) })

export const LISTENER_SNAPSHOT: Shape = object({ index: 'count', pid: 'count', tid: optional('count'), stats })

export const STOP_RESULT: Shape = object({ snapshots: array(LISTENER_SNAPSHOT), missing: 'string' })

export const LISTENER_REPLIES: ReplyShapes<ListenerProtocol> = { start: LISTENER_READY, stats: LISTENER_SNAPSHOT, reset: LISTENER_SNAPSHOT, stop: LISTENER_SNAPSHOT, drain: LISTENER_SNAPSHOT }

export const PRIMARY_REPLIES: ReplyShapes<PrimaryProtocol> = { start: array(LISTENER_READY), stats: array(LISTENER_SNAPSHOT), reset: array(LISTENER_SNAPSHOT), stop: array(LISTENER_SNAPSHOT), restart: LISTENER_SNAPSHOT }

/** What a server host answers its own operations with (the common ones are remote/replies.ts's). */
export const SERVER_HOST_REPLIES: RemoteReplies = {
  start: SERVER_STARTED,
  stats: array(LISTENER_SNAPSHOT),
  reset: array(LISTENER_SNAPSHOT),
  sample: object({}),
  samples: record(object({})),
  stop: STOP_RESULT
}
