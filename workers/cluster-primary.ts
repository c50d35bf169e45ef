/**
 * The primary of Node's cluster mode, in its own process so that its
 * round-robin distribution does not compete with the load generator. It forks
 * the listeners with cluster (SCHED_RR), relays their messages to the
 * orchestrator unchanged, broadcasts the orchestrator's messages to them, and
 * replaces one worker on 'restart' (fork the new one, then drain the old).
 */
import cluster from 'node:cluster'
import type { Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'
import { managedChild } from '../src/proc/children.js'
import { CONFIG_ENV, isControlMessage, isListenerMessage } from '../src/protocol.js'
import type { ControlMessage, ListenerConfig, ListenerMessage } from '../src/protocol.js'

interface PrimaryConfig { workers: number, listener: ListenerConfig, stall?: { index: number, forMs: number, everyMs: number } }

managedChild('cluster-primary')
const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as PrimaryConfig | null
if (config === null) {
  process.stderr.write('cluster-primary: started without a config; it is run by reuseport-bench\n')
  process.exit(2)
}

cluster.schedulingPolicy = cluster.SCHED_RR
cluster.setupPrimary({ exec: fileURLToPath(new URL('./listener.js', import.meta.url)), silent: false })

const workers = new Map<number, Worker>()
const all: Worker[] = []
const retiring = new Set<Worker>()
let stopping = false

function relay (m: ListenerMessage): void {
  if (process.connected && process.send !== undefined) process.send(m)
}

// However this process ends, its workers end with it (they also die with it through the OS).
process.on('exit', () => {
  for (const w of all) if (!w.isDead()) w.process.kill('SIGKILL')
})

function start (i: number): Worker {
  const stall = config?.stall !== undefined && config.stall.index === i ? { forMs: config.stall.forMs, everyMs: config.stall.everyMs } : undefined
  const listener: ListenerConfig = { ...(config as PrimaryConfig).listener, index: i, ...(stall === undefined ? {} : { stall }) }
  const w = cluster.fork({ [CONFIG_ENV]: JSON.stringify(listener) })
  workers.set(i, w)
  all.push(w)
  w.on('message', (m: unknown) => { if (isListenerMessage(m)) relay(m) })
  w.on('exit', (code, signal) => {
    if (!stopping && !retiring.has(w)) {
      relay({ type: 'error', index: i, pid: w.process.pid ?? 0, code: 'EXITED', message: `cluster worker ${i} exited (code ${String(code)}, signal ${String(signal)})` })
    }
    if (all.every(x => x.isDead())) process.exit(0)
  })
  return w
}

for (let i = 0; i < config.workers; i++) start(i)

function restart (m: Extract<ControlMessage, { type: 'restart' }>): void {
  const old = workers.get(m.index)
  const fresh = start(m.index)
  fresh.on('message', function onReady (x: unknown) {
    if (!isListenerMessage(x) || x.type !== 'ready') return
    fresh.off('message', onReady)
    if (old !== undefined && !old.isDead()) {
      retiring.add(old)
      old.send({ type: 'drain', seq: m.seq, busyMs: m.busyMs ?? 0 } satisfies ControlMessage)
    }
  })
}

process.on('message', (m: unknown) => {
  if (!isControlMessage(m)) return
  if (m.type === 'restart') {
    restart(m)
    return
  }
  if (m.type === 'stop') stopping = true
  for (const w of workers.values()) if (!w.isDead()) w.send(m)
})
