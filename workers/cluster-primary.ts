/**
 * The primary of Node's cluster mode, in its own process so that its
 * round-robin distribution does not compete with the load generator. It forks
 * the listeners with cluster (SCHED_RR), starts each with its configuration,
 * answers the orchestrator's requests for all of them at once
 * (PrimaryRequest in types/listener.ts), and replaces one worker on 'restart'
 * (fork the new one, wait until it listens, then drain the old one).
 */
import cluster from 'node:cluster'
import type { Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'
import { PhaseTimeoutError, RunError } from '../src/errors.js'
import { ProtocolChannel, serveProtocol } from '../src/ipc/protocol.js'
import type { RequestOfOp } from '../src/types/protocol.js'
import { managedChild } from '../src/proc/children.js'
import { START_BACKSTOP_MS } from '../src/topology/kinds/kind.js'
import type { ListenerConfig, ListenerProtocol, ListenerReady, ListenerSnapshot, PrimaryEvent, PrimaryProtocol } from '../src/types/listener.js'

type WorkerChannel = ProtocolChannel<ListenerProtocol>
type StartRequest = RequestOfOp<PrimaryProtocol, 'start'>
interface Member { worker: Worker, channel: WorkerChannel }

managedChild('cluster-primary')
cluster.schedulingPolicy = cluster.SCHED_RR
cluster.setupPrimary({ exec: fileURLToPath(new URL('./listener.js', import.meta.url)), silent: false })

const members = new Map<number, Member>()
const all: Worker[] = []
const retiring = new Set<Worker>()
let base: StartRequest | undefined
let stopping = false

// However this process ends, its workers end with it (they also die with it through the OS).
process.on('exit', () => {
  for (const w of all) if (!w.isDead()) w.process.kill('SIGKILL')
})

/** A worker that exits on its own ends this process, so the orchestrator sees a listener process exit with the reason. */
function died (i: number, code: number | null, signal: string | null): void {
  process.stderr.write(`Error: cluster worker ${i} exited unexpectedly (code ${String(code)}, signal ${String(signal)})\n`)
  process.exit(1)
}

function configOf (i: number): ListenerConfig {
  const b = base as StartRequest
  const stall = b.stall !== undefined && b.stall.index === i ? { forMs: b.stall.forMs, everyMs: b.stall.everyMs } : undefined
  return { ...b.listener, index: i, ...(stall === undefined ? {} : { stall }) }
}

/** Forks worker `i` and starts it; resolves once it listens. */
async function fork (i: number): Promise<{ member: Member, ready: ListenerReady }> {
  const worker = cluster.fork()
  all.push(worker)
  const channel: WorkerChannel = new ProtocolChannel(worker.process, `cluster worker ${i}`)
  // One its channel killed (it missed a deadline) is reported by the request that failed, not as a death.
  worker.on('exit', (code, signal) => { if (!stopping && !retiring.has(worker) && !channel.killed) died(i, code, signal) })
  const ready = await channel.ask('start', { config: configOf(i) }, { timeoutMs: START_BACKSTOP_MS, onTimeout: () => new RunError('RB_LISTENER_START', `cluster worker ${i} did not listen within ${START_BACKSTOP_MS / 1000} s`) })
  return { member: { worker, channel }, ready }
}

async function startAll (req: StartRequest): Promise<ListenerReady[]> {
  base = req
  const started = await Promise.all([...Array(req.workers).keys()].map(fork))
  for (const [i, s] of started.entries()) members.set(i, s.member)
  return started.map(s => s.ready)
}

/** Asks every worker; answers with the snapshots of those that answered within `withinMs`. */
async function askAll (op: 'stats' | 'reset' | 'stop', withinMs: number): Promise<ListenerSnapshot[]> {
  if (op === 'stop') stopping = true
  const asked = [...members.values()].map(m => m.channel.ask(op, {}, { timeoutMs: withinMs, onTimeout: () => new PhaseTimeoutError(op, 'cluster', withinMs, 'a worker did not answer') }))
  const settled = await Promise.allSettled(asked)
  return settled.flatMap(s => s.status === 'fulfilled' ? [s.value] : [])
}

async function restart (index: number, busyMs: number, emit: (e: PrimaryEvent) => void): Promise<ListenerSnapshot> {
  const old = members.get(index)
  if (old === undefined) throw new RunError('RB_LISTENER_DIED', `cluster: no worker ${index} to restart`)
  const fresh = await fork(index)
  members.set(index, fresh.member)
  emit({ ready: fresh.ready })
  retiring.add(old.worker)
  return await old.channel.ask('drain', { busyMs }, { timeoutMs: 10_000 + busyMs, onTimeout: () => new RunError('RB_LISTENER_DIED', `cluster worker ${index} did not drain`) })
}

serveProtocol<PrimaryProtocol>({
  start: async req => await startAll(req),
  restart: async (req, emit) => await restart(req.index, req.busyMs, emit),
  stats: async req => await askAll('stats', req.withinMs),
  reset: async req => await askAll('reset', req.withinMs),
  stop: async (req, _emit, afterReply) => {
    afterReply(() => process.exit(0))
    return await askAll('stop', req.withinMs)
  }
})
