/**
 * The declared shapes of what the probe's helper processes answer (types/agent.ts):
 * the socket agents, the accept agents, the migration-wakeup tries and the datagram delivery; each
 * reply is checked against them before the probe uses it.
 */
import { array, either, literal, object, oneOf, optional } from '../shape.js'
import type { ReplyShapes } from '../ipc/protocol.js'
import { DATAGRAM_DELIVERY_ROW } from '../schema/probe.js'
import type { AcceptProtocol, AgentProtocol, DatagramDeliveryProtocol, MigrationWakeupProtocol } from '../types/agent.js'

const agentReply = either(
  object({ ok: literal(true), fd: optional('integer'), uid: 'count' }),
  object({ ok: literal(false), code: 'string', failedAt: 'string', message: 'string', uid: 'count' })
)

export const AGENT_REPLIES: ReplyShapes<AgentProtocol> = { hello: agentReply, open: agentReply, listen: agentReply, close: agentReply, timewait: agentReply }

const acceptReply = either(object({ ok: literal(true) }), object({ ok: literal(false), code: 'string', message: 'string' }))

export const ACCEPT_REPLIES: ReplyShapes<AcceptProtocol> = { hello: acceptReply, accept: acceptReply }

export const DATAGRAM_DELIVERY_REPLIES: ReplyShapes<DatagramDeliveryProtocol> = { deliver: array(DATAGRAM_DELIVERY_ROW, 16) }

export const MIGRATION_WAKEUP_REPLIES: ReplyShapes<MigrationWakeupProtocol> = {
  tries: array(object({ waiter: oneOf(['epoll', 'blocking-accept']), connections: 'count', migrated: 'count', promptly: 'count', afterNext: 'count', lost: 'count' }))
}
