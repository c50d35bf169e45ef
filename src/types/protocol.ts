/**
 * A wire's protocol as one map, `{ op: { request, reply, event } }`: the
 * fields each operation's request carries (besides `op`), what it is answered
 * with, and the events it may send while it runs. Both ends take their types
 * from the map (ipc/protocol.ts), so a reply is typed by its request. At the
 * bottom: imports nothing.
 */

/** Every operation of a wire: its request's fields, its reply, its events (`never` for none). */
export type Protocol = Record<string, { request: object, reply: unknown, event: unknown }>

/** An operation's name. */
export type OpOf<P extends Protocol> = keyof P & string

/** A request of operation K of P, as it travels: `{ op: K, ...fields }`. */
export type RequestOfOp<P extends Protocol, K extends OpOf<P>> = { op: K } & P[K]['request']

/** Any request of P. */
export type RequestOf<P extends Protocol> = { [K in OpOf<P>]: RequestOfOp<P, K> }[OpOf<P>]

/** Any reply of P, and any event. */
export type ReplyOf<P extends Protocol> = P[OpOf<P>]['reply']
export type EventOf<P extends Protocol> = P[OpOf<P>]['event']

/** The fields of a request that carries nothing but its `op`. */
export type NoFields = Record<never, never>
