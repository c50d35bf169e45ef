/**
 * A load generator in a process of its own, used when the client runs in a
 * network namespace of its own (`run --client-netns`). It receives one
 * LoadRequest over IPC, runs the load, answers with the LoadResult and exits.
 * With several client addresses, new connections take them in turn, so the
 * listeners' 4-tuple hash sees different peers.
 */
import net from 'node:net'
import { runLoad } from '../src/load/autocannon.js'
import type { LoadRequest, LoadReply } from '../src/load/remote.js'

if (typeof process.send !== 'function') {
  process.stderr.write('loadgen: run by reuseport-bench\n')
  process.exit(2)
}
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {})

/** Round-robin source addresses for connections to the target (autocannon calls net.connect(port, host)). */
function spreadSources (addresses: readonly string[], port: number): void {
  if (addresses.length === 0) return
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

process.once('message', (m: LoadRequest) => {
  spreadSources(m.sourceAddresses, m.options.port)
  const abort = new AbortController()
  process.on('message', (x: { type?: string }) => { if (x.type === 'abort') abort.abort() })
  runLoad({ ...m.options, signal: abort.signal }).then(
    result => process.send?.({ ok: true, result } satisfies LoadReply, undefined, {}, () => process.exit(0)),
    (err: unknown) => process.send?.({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies LoadReply, undefined, {}, () => process.exit(1))
  )
})
