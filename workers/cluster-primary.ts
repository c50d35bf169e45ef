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
import { CONFIG_ENV, isControlMessage, isListenerMessage } from '../src/protocol.js'
import type { ControlMessage, ListenerConfig, ListenerMessage } from '../src/protocol.js'

interface PrimaryConfig { workers: number, listener: ListenerConfig, stall?: { index: number, forMs: number, everyMs: number } }

const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as PrimaryConfig | null
if (config === null || typeof process.send !== 'function') {
  process.stderr.write('cluster-primary: started without a config or an IPC channel; it is run by reuseport-bench\n')
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

process.on('SIGINT', () => {})
process.on('disconnect', () => {
  for (const w of all) w.process.kill('SIGKILL')
  process.exit(0)
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
