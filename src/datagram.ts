/**
 * The UDP load's datagrams, as the client (load/drivers/dgram.ts) writes them and a listener
 * (topology/listener/datagrams.ts) answers them: the client's flow and sequence number, padded to the
 * plan's size; the answer, a small reply (as a DNS server's is) of the same flow and sequence number and
 * the index of the listener that got it, so the client splits its round trips by listener.
 */

/** Bytes of the request's header: the flow (u32) and the sequence number (u32), big-endian. */
export const REQUEST_HEADER = 8
/** Bytes of the answer: the request's header and the listener's index (u16). */
export const ANSWER_BYTES = 10

/** The request for `flow`'s datagram number `seq`, written into `buf` (at least REQUEST_HEADER bytes, its own: a send Node queues keeps it). */
export function writeRequest (buf: Buffer, flow: number, seq: number): Buffer {
  buf.writeUInt32BE(flow >>> 0, 0)
  buf.writeUInt32BE(seq >>> 0, 4)
  return buf
}

/** The answer to `request` from listener `index`; undefined for a datagram too short to be one of ours. */
export function answerTo (request: Buffer, index: number): Buffer | undefined {
  if (request.length < REQUEST_HEADER) return undefined
  const out = Buffer.allocUnsafe(ANSWER_BYTES)
  request.copy(out, 0, 0, REQUEST_HEADER)
  out.writeUInt16BE(index & 0xffff, REQUEST_HEADER)
  return out
}

/** What an answer says: its flow, sequence number and listener; undefined for anything else. */
export function readAnswer (buf: Buffer): { flow: number, seq: number, index: number } | undefined {
  if (buf.length !== ANSWER_BYTES) return undefined
  return { flow: buf.readUInt32BE(0), seq: buf.readUInt32BE(4), index: buf.readUInt16BE(REQUEST_HEADER) }
}
