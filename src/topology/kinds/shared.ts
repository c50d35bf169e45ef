/**
 * The shared-accept baseline: this process opens one listening socket and
 * hands it down to every listener process (fd 4); they all accept from its
 * one queue. This process keeps its copy for replacements and closes it when
 * the group is released.
 */
import { errnoCode, RunError } from '../../errors.js'
import { closeSocket, openSocket } from '../../native/index.js'
import { portInUse } from '../address.js'
import type { ListenerKind, RunningListeners, Spawner } from './kind.js'
import { ProcessPerListener } from './perProcess.js'

function openShared (host: string, port: number, backlog: number): number {
  try {
    return openSocket({ host, port, reuseaddr: true, backlog })
  } catch (err) {
    if (errnoCode(err) === 'EADDRINUSE') throw portInUse(host, port)
    throw new RunError('RB_LISTENER_START', `shared: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}

async function launchShared (s: Spawner): Promise<RunningListeners> {
  let fd = openShared(s.opts.host, s.opts.port, s.opts.backlog)
  const release = (): void => {
    if (fd < 0) return
    try { closeSocket(fd) } catch {}
    fd = -1
  }
  const listeners = new ProcessPerListener(s, () => ({ kind: 'inherited', fd: 4, backlog: s.opts.backlog }), fd, release)
  try {
    return await listeners.startAll(false)
  } catch (err) {
    release()
    throw err
  }
}

export const shared: ListenerKind = {
  mode: 'shared',
  description: 'one listening socket inherited by every process (one accept queue)',
  reuseportGroup: false,
  baseline: true,
  choose: () => ({ reuseport: false, reuseportLb: false, option: 'shared fd', note: '' }),
  launch: launchShared
}
