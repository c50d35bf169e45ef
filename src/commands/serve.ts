/**
 * `serve`: listeners kept up for any load generator; per-process stats when
 * stopped. Ctrl-C ends it with exit 0; SIGTERM or SIGHUP (to it or to its
 * process group, as `kill -- -PGID` and systemd send) with 128 + the signal's
 * number; either way with the figures of every listener that answered.
 */
import { HarnessError, signalExitCode } from '../errors.js'
import { handlerFile, integer, LIMITS } from '../plan/validate.js'
import { formatSnapshots } from '../report/terminal.js'
import { assertLocalAddress, assertPortFree } from '../topology/address.js'
import { ListenerGroup } from '../topology/group.js'
import { assertSupported, interrupts } from './common.js'
import { listenerKind } from '../topology/kinds/index.js'
import { cpuListText, parseCpuChoice } from '../plan/cpus.js'
import { cpuSetsHere } from '../proc/pinning.js'

export interface ServeArgs { mode: string, workers: string, host: string, port: string, backlog: string, json: boolean, 'listener-cpus': string, handler?: string, attribution?: boolean }

export async function cmdServe (a: ServeArgs): Promise<void> {
  const mode = listenerKind(a.mode).mode
  const workers = integer('workers', a.workers, 1, LIMITS.workers)
  const port = integer('port', a.port, 0, 65535)
  const backlog = integer('backlog', a.backlog, 1, LIMITS.backlog)
  const handler = handlerFile(a.handler)
  assertSupported([mode])
  assertLocalAddress(a.host)
  assertPortFree(a.host, port)
  // No client of ours here: the listeners are pinned only when asked, and the load generator is the user's to place (taskset).
  const choice = parseCpuChoice('listener-cpus', a['listener-cpus'])
  const cpus = cpuSetsHere({ clientCpus: 'all', listenerCpus: choice === 'auto' ? 'all' : choice }).listeners
  // The listeners' final figures come within group.stop's 2 s grace; only past 3 s is everything killed.
  const ac = interrupts(s => { if (!a.json) process.stderr.write(s + '\n') }, 3000)
  const signalled = new Promise<NodeJS.Signals>(resolve => ac.signal.addEventListener('abort', () => resolve(ac.signal.reason as NodeJS.Signals), { once: true }))
  const group = await ListenerGroup.start({ mode, workers, host: a.host, port, backlog, instrument: true, ...(cpus === null ? {} : { cpus }), ...(handler === null ? {} : { handler }), ...(a.attribution === false ? { attribution: false } : {}) })
  // On stderr even with --json: the only place that gives the port when --port is 0.
  process.stderr.write(`serving ${mode} with ${group.workers} listener process${group.workers === 1 ? '' : 'es'} on ${a.host}:${group.port} (pids ${[...group.pids.values()].join(', ')}${cpus === null ? '' : `, on CPU${cpus.length === 1 ? '' : 's'} ${cpuListText(cpus)}`}); Ctrl-C to stop\n`)
  const died = new Promise<never>((_resolve, reject) => group.onDeath(reject))
  let sig: NodeJS.Signals
  try {
    sig = await Promise.race([signalled, died])
  } catch (err) {
    await group.kill()
    throw err
  }
  const { snapshots, missing } = await group.stop()
  if (a.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, mode, port: group.port, listeners: snapshots.map(s => ({ index: s.index, pid: s.pid, accepts: s.stats.accepts, requests: s.stats.requests, errors: s.stats.errors })), ...(missing === '' ? {} : { missing }) }, null, 2) + '\n')
  } else {
    process.stdout.write(formatSnapshots(mode, snapshots) + '\n')
  }
  if (missing !== '') throw new HarnessError('RB_LISTENER_TIMEOUT', `${missing} did not report final figures`, 1)
  if (sig !== 'SIGINT') process.exit(signalExitCode(sig))
}
