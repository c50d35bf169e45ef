/**
 * The load generator's process (src/load/process.ts starts it, in this
 * network namespace or another). It answers each load request with the load's
 * result and sends a tick about once a second. With source addresses, new
 * connections take them in turn, so the listeners' 4-tuple hash sees several
 * peers.
 */
import net from 'node:net'
import { serve } from '../src/ipc/channel.js'
import { loadDriver } from '../src/load/drivers/index.js'
import { managedChild } from '../src/proc/children.js'
import type { LoadRequest, LoadResult, LoadTick } from '../src/types/load.js'

managedChild('loadgen')

let spread = false

/** Round-robin source addresses for connections to the target (autocannon calls net.connect(port, host)). */
function spreadSources (addresses: readonly string[], port: number): void {
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

serve<LoadRequest, LoadTick, LoadResult>(async (req, emit) => {
  spreadSources(req.sourceAddresses, req.spec.port)
  const { driver, ...spec } = req.spec
  return await loadDriver(driver).run({ ...spec, onTick: (elapsedSec, responses) => emit({ elapsedSec, responses }) })
})
