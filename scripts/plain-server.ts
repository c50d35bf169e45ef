/**
 * The plainest Node HTTP server on a SO_REUSEPORT socket from our addon: the
 * floor a listener's own cost is measured against (npm run bench:fidelity).
 * No counters, no timing, no extra header. Run by the benchmark only. Like
 * every process we start, it holds one tick object (managedChild,
 * proc/tickShape.ts), so that it and the listeners it is set against cannot
 * differ by whether an idle collection made their `process.nextTick` dearer.
 */
import http from 'node:http'
import { localAddress, openSocket } from '../src/native/index.js'
import { managedChild } from '../src/proc/children.js'

managedChild('plain server')
const port = Number(process.argv[2])
const fd = openSocket({ host: '127.0.0.1', port, reuseaddr: true, reuseport: true, backlog: 511 })
// The port it listens on (the first one is started on port 0, the others on its port).
http.createServer((_req, res) => { res.end('ok\n') }).listen({ fd }, () => process.send?.(localAddress(fd).port))
