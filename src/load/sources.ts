/**
 * Source addresses that new connections to the target take in turn (so the
 * listeners' 4-tuple hash sees several peers), by patching net.connect in
 * the calling thread: drivers connect with net.connect(port, host).
 */
import net from 'node:net'

/** Why a source address cannot be used here (not an address of this machine, say), or undefined once it could be bound. */
function unusable (address: string): Promise<string | undefined> {
  return new Promise(resolve => {
    const s = net.createServer()
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
    s.listen(0, address, () => s.close(() => resolve(undefined)))
  })
}

/**
 * Refuses source addresses this machine cannot connect from, before any load: each one a connection would
 * take failed with EADDRNOTAVAIL and the load "succeeded" with no response.
 */
export async function assertSourcesUsable (addresses: readonly string[]): Promise<void> {
  for (const a of addresses) {
    const why = await unusable(a)
    if (why !== undefined) throw new Error(`source address ${a} cannot be used on this host (${why === 'EADDRNOTAVAIL' ? 'not one of its addresses' : why})`)
  }
}

let spread = false

/** Round-robin `addresses` for connections to `port` made in this thread from now on (once per thread). */
export function spreadSources (addresses: readonly string[], port: number): void {
  if (spread || addresses.length === 0) return
  spread = true
  const connect = net.connect
  let next = 0
  const patched = ((...args: unknown[]): net.Socket => {
    if (typeof args[0] === 'number' && args[0] === port && typeof args[1] === 'string') {
      const localAddress = addresses[next++ % addresses.length]
      return connect({ port: args[0], host: args[1], localAddress })
    }
    return (connect as (...a: unknown[]) => net.Socket)(...args)
  }) as typeof net.connect
  net.connect = patched
  net.createConnection = patched
}
