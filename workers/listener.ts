/**
 * One listener process (topology/listener/server.ts serves it): its own
 * socket, an inherited one, or Node's own listen() as a cluster worker or
 * with reusePort; its configuration is its first request. Exits by itself
 * when the IPC channel to its parent closes (and is killed by the OS when its
 * parent dies); terminal and group signals are the orchestrator's to act on
 * (proc/children.ts managedChild).
 */
import { serveProtocol } from '../src/ipc/protocol.js'
import { managedChild } from '../src/proc/children.js'
import { listenerHandlers } from '../src/topology/listener/server.js'
import type { ListenerProtocol } from '../src/types/listener.js'

managedChild('listener')

serveProtocol<ListenerProtocol>(listenerHandlers({
  where: 'process',
  cpu: () => process.cpuUsage(),
  fatal: (line, code) => {
    process.stderr.write(`${line}\n`)
    process.exit(code)
  },
  exit: () => process.exit(0)
}))
