/**
 * `serve`: listeners kept up for any load generator; per-process stats on Ctrl-C.
 */
import { HarnessError, UsageError } from '../errors.js'
import { integer, LIMITS } from '../plan.js'
import { MODES } from '../protocol.js'
import type { Mode } from '../protocol.js'
import { formatSnapshots } from '../report/terminal.js'
import { assertLocalAddress, assertPortFree } from '../topology/address.js'
import { ListenerGroup } from '../topology/group.js'
import { assertSupported } from './common.js'

export interface ServeArgs { mode: string, workers: string, host: string, port: string, backlog: string, json: boolean }

export async function cmdServe (a: ServeArgs): Promise<void> {
  if (!(MODES as readonly string[]).includes(a.mode)) throw new UsageError(`unknown mode '${a.mode}'; known modes: ${MODES.join(', ')}`)
  const mode = a.mode as Mode
  const workers = integer('workers', a.workers, 1, LIMITS.workers)
  const port = integer('port', a.port, 0, 65535)
  const backlog = integer('backlog', a.backlog, 1, LIMITS.backlog)
  assertSupported([mode])
  assertLocalAddress(a.host)
  assertPortFree(a.host, port)
  const group = await ListenerGroup.start({ mode, workers, host: a.host, port, backlog, instrument: true })
  const say = (s: string): void => { if (!a.json) process.stderr.write(s + '\n') }
  say(`serving ${mode} with ${group.workers} listener process${group.workers === 1 ? '' : 'es'} on ${a.host}:${group.port} (pids ${[...group.pids.values()].join(', ')}); Ctrl-C to stop`)
  const done = new Promise<string>((resolve, reject) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
    group.onDeath(reject)
  })
  let sig: string
  try {
    sig = await done
  } catch (err) {
    await group.kill()
    throw err
  }
  say(`\n${sig}: stopping`)
  const snaps = await group.stop()
  if (snaps === undefined) throw new HarnessError('RB_LISTENER_TIMEOUT', 'listeners did not report their final stats', 1)
  if (a.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, mode, port: group.port, listeners: snaps.map(s => ({ index: s.index, pid: s.pid, accepts: s.stats.accepts, requests: s.stats.requests, errors: s.stats.errors })) }, null, 2) + '\n')
  } else {
    process.stdout.write(formatSnapshots(mode, snaps) + '\n')
  }
}
