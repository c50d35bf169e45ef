/**
 * The one request/reply helper (channel.ts) speaking a protocol map
 * (types/protocol.ts): the parent asks `ask(op, fields)` and gets that
 * operation's reply type; the child serves one handler per operation, each
 * returning its own reply type. The map is the only place a wire's types are
 * written, so neither end casts a reply. A reply is data from another
 * process, thread or host: where its owner declared the shape of an
 * operation's reply (`checkReplies`), the reply is checked against it before
 * anyone uses it, and one that does not fit fails the request in one line
 * that names who answered, the operation and the field.
 */
import { Channel, serve } from './channel.js'
import type { RequestOptions, ServeOptions } from './channel.js'
import { RunError } from '../errors.js'
import { misfit } from '../shape.js'
import type { Shape } from '../shape.js'
import type { EventOf, OpOf, Protocol, ReplyOf, RequestOf, RequestOfOp } from '../types/protocol.js'

/** The declared shape of each operation's reply. */
export type ReplyShapes<P extends Protocol> = { readonly [K in OpOf<P>]: Shape }

/** The parent's end of a child that speaks protocol P. */
export class ProtocolChannel<P extends Protocol> extends Channel<RequestOf<P>, EventOf<P>, ReplyOf<P>> {
  private replies: Partial<ReplyShapes<P>> = {}

  /** From now on every reply is checked against its operation's shape before it is used (a remote side of one role is asked only that role's operations). */
  checkReplies (shapes: Partial<ReplyShapes<P>>): this {
    this.replies = shapes
    return this
  }

  /** Sends a request of any operation, as it travels (`{ op, ...fields }`); its reply is checked before it is returned. */
  override async request (body: RequestOf<P>, o: RequestOptions<EventOf<P>>): Promise<ReplyOf<P>> {
    const reply: unknown = await super.request(body, o)
    const op: OpOf<P> = body.op
    const shape = this.replies[op]
    const wrong = shape === undefined ? undefined : misfit(reply, shape, 'reply')
    if (wrong !== undefined) throw new RunError('RB_BAD_REPLY', `${this.name} answered ${op} with what this tool cannot use: ${wrong}`)
    // The child answers with its protocol's replies (serveProtocol's handlers are typed so; the shape above checked it where declared).
    return reply as ReplyOf<P>
  }

  /** Asks operation `op` with its fields; resolves with that operation's reply. */
  async ask<K extends OpOf<P>> (op: K, fields: P[K]['request'], o: RequestOptions<P[K]['event']>): Promise<P[K]['reply']> {
    const body = { ...fields, op } as RequestOfOp<P, K> as RequestOf<P>
    // The reply to operation K is P[K]['reply']: the one place it is said.
    return await (this.request(body, o as RequestOptions<EventOf<P>>) as Promise<P[K]['reply']>)
  }
}

/** One handler per operation: its request, a way to send its events, and what to run after the reply has left. */
export type Handlers<P extends Protocol> = {
  [K in OpOf<P>]: (req: RequestOfOp<P, K>, emit: (e: P[K]['event']) => void, afterReply: (fn: () => void) => void) => Promise<P[K]['reply']>
}

/** The child's end: each request goes to its operation's handler. */
export function serveProtocol<P extends Protocol> (handlers: Handlers<P>, o: ServeOptions<RequestOf<P>> = {}): void {
  serve<RequestOf<P>, EventOf<P>, ReplyOf<P>>(async (req, emit, afterReply) => {
    const op = (req as { op: OpOf<P> }).op
    const handle = handlers[op] as Handlers<P>[OpOf<P>] | undefined
    if (handle === undefined) throw new Error(`unknown operation '${String(op)}'`)
    return await handle(req as RequestOfOp<P, OpOf<P>>, emit, afterReply)
  }, o)
}
