/**
 * The one request/reply helper (channel.ts) speaking a protocol map
 * (types/protocol.ts): the parent asks `ask(op, fields)` and gets that
 * operation's reply type; the child serves one handler per operation, each
 * returning its own reply type. The map is the only place a wire's types are
 * written, so neither end casts a reply.
 */
import { Channel, serve } from './channel.js'
import type { RequestOptions, ServeOptions } from './channel.js'
import type { EventOf, OpOf, Protocol, ReplyOf, RequestOf, RequestOfOp } from '../types/protocol.js'

/** The parent's end of a child that speaks protocol P. */
export class ProtocolChannel<P extends Protocol> extends Channel<RequestOf<P>, EventOf<P>, ReplyOf<P>> {
  /** Asks operation `op` with its fields; resolves with that operation's reply. */
  async ask<K extends OpOf<P>> (op: K, fields: P[K]['request'], o: RequestOptions<P[K]['event']>): Promise<P[K]['reply']> {
    const body = { ...fields, op } as RequestOfOp<P, K> as RequestOf<P>
    // The child answers operation K with P[K]['reply'] (serveProtocol's handlers are typed so): the one place it is said.
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
