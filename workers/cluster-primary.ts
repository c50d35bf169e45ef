/**
 * The primary of Node's cluster mode, in its own process so that its
 * round-robin distribution does not compete with the load generator. It forks
 * the listeners with cluster (SCHED_RR), relays their messages to the
 * orchestrator unchanged and broadcasts the orchestrator's messages to them.
 */
import cluster from 'node:cluster'
import type { Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'
import { CONFIG_ENV, isControlMessage, isListenerMessage } from '../src/protocol.js'
import type { ListenerConfig, ListenerMessage } from '../src/protocol.js'

interface PrimaryConfig { workers: number, listener: ListenerConfig }

const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as PrimaryConfig | null
if (config === null || typeof process.send !== 'function') {
  process.stderr.write('cluster-primary: started without a config or an IPC channel; it is run by reuseport-bench\n')
  process.exit(2)
}

cluster.schedulingPolicy = cluster.SCHED_RR
cluster.setupPrimary({ exec: fileURLToPath(new URL('./listener.js', import.meta.url)), silent: false })

const workers: Worker[] = []
let stopping = false

function relay (m: ListenerMessage): void {
  if (process.connected && process.send !== undefined) process.send(m)
}

process.on('SIGINT', () => {})
process.on('disconnect', () => {
  for (const w of workers) w.process.kill('SIGKILL')
  process.exit(0)
})

for (let i = 0; i < config.workers; i++) {
  const listener: ListenerConfig = { ...config.listener, index: i }
  const w = cluster.fork({ [CONFIG_ENV]: JSON.stringify(listener) })
  workers.push(w)
  w.on('message', (m: unknown) => { if (isListenerMessage(m)) relay(m) })
  w.on('exit', (code, signal) => {
    if (!stopping) {
      relay({ type: 'error', index: i, pid: w.process.pid ?? 0, code: 'EXITED', message: `cluster worker ${i} exited (code ${String(code)}, signal ${String(signal)})` })
    }
    if (workers.every(x => x.isDead())) process.exit(0)
  })
}

process.on('message', (m: unknown) => {
  if (!isControlMessage(m)) return
  if (m.type === 'stop') stopping = true
  for (const w of workers) if (!w.isDead()) w.send(m)
})
