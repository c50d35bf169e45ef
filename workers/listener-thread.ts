/**
 * One listener as a worker thread of the threads mode's host
 * (workers/threads-host.ts): the same listener as a process
 * (topology/listener/server.ts), over its port to the host, with its own
 * thread's CPU time. A fatal line is sent to the host before the thread ends
 * (the host names the thread in the error); an uncaught error ends the thread
 * and the host says so.
 */
import { parentPort } from 'node:worker_threads'
import { serveProtocol } from '../src/ipc/protocol.js'
import { portWire } from '../src/ipc/wire.js'
import { threadClock } from '../src/proc/threadCpu.js'
import { holdTickShape } from '../src/proc/tickShape.js'
import type { LastWords } from '../src/proc/threadPeer.js'
import { listenerHandlers } from '../src/topology/listener/server.js'
import type { ListenerProtocol } from '../src/types/listener.js'

if (parentPort === null) {
  process.stderr.write('listener-thread: not started as a worker thread; it is run by reuseport-bench\n')
  process.exit(2)
}
holdTickShape()
const port = parentPort
const clock = threadClock()

serveProtocol<ListenerProtocol>(listenerHandlers({
  where: 'thread',
  cpu: clock.cpu,
  ...(clock.tid === undefined ? {} : { tid: clock.tid }),
  fatal: (line, code) => {
    port.postMessage({ rb: 'last-words', line } satisfies LastWords)
    process.exit(code)
  },
  exit: () => process.exit(0)
}), { wire: portWire(port) })
