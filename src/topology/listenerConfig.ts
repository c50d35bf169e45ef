/**
 * A listener's configuration as it arrives over IPC (its 'start' request),
 * checked against one field table built from the shared limits
 * (plan/limits.ts) and the socket sources' own shapes (sockets/index.ts).
 */
import { FIELDS, LIMITS } from '../limits.js'
import { int, literal, misfit, object, oneOf, optional, text } from '../shape.js'
import type { ListenerConfig } from '../types/listener.js'
import { SOCKET_SOURCE } from './sockets/index.js'

export const LISTENER_CONFIG = object({
  index: int(0, LIMITS.workers - 1),
  mode: text(64),
  socket: SOCKET_SOURCE,
  instrument: 'boolean',
  workUs: FIELDS.workUs,
  stall: optional(FIELDS.stall),
  steer: optional(FIELDS.steer),
  handler: optional(FIELDS.path),
  attribution: optional('boolean'),
  protocol: optional(oneOf(['udp'])),
  udpConnect: optional(literal(true))
})

/** The configuration, typed, or what is wrong with it in one line. */
export function checkListenerConfig (x: unknown): ListenerConfig | string {
  const wrong = misfit(x, LISTENER_CONFIG, 'config')
  return wrong === undefined ? x as ListenerConfig : wrong
}
