/**
 * A socket bound by Node itself with net.BoundSocket({ reusePort: true })
 * (Node 24.19+ / 26.4+): bound synchronously, without the addon, then
 * adopted by server.listen(bound, backlog). The bound-socket mode.
 */
import net from 'node:net'
import { FIELDS } from '../../limits.js'
import { object } from '../../shape.js'
import type { SocketSource } from '../../types/listener.js'
import { boundPort, whenListening } from './source.js'
import type { SocketSourceKind } from './source.js'

type Bound = Extract<SocketSource, { kind: 'bound' }>

/** What this harness uses of net.BoundSocket (not in the Node types it builds with). */
interface BoundSocket { address (): { port: number }, close (): void }
type BoundSocketClass = new (o: { host: string, port: number, reusePort: boolean }) => BoundSocket

/** net.BoundSocket where this Node has it. */
export function boundSocketClass (): BoundSocketClass | undefined {
  const c = (net as unknown as { BoundSocket?: unknown }).BoundSocket
  return typeof c === 'function' ? c as BoundSocketClass : undefined
}

export const boundSocket: SocketSourceKind<Bound> = {
  kind: 'bound',
  shape: object({ host: FIELDS.host, port: FIELDS.port, backlog: FIELDS.backlog }),
  listen: async (server, src) => {
    const Bound = boundSocketClass()
    if (Bound === undefined) throw Object.assign(new Error(`net.BoundSocket is not in Node ${process.version}`), { code: 'ENOPROTOOPT' })
    const bound = new Bound({ host: src.host, port: src.port, reusePort: true })
    try {
      await whenListening(server, done => server.listen(bound as unknown as net.ListenOptions, src.backlog, done))
    } catch (err) {
      bound.close()
      throw err
    }
    return { port: boundPort(server) }
  }
}
