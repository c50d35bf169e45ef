/**
 * The shared-accept baseline: this process opens one listening socket and
 * hands it down to every listener process (fd 4); they all accept from its
 * one queue. This process keeps its copy for replacements and closes it when
 * the group is released.
 */
import { errnoCode, RunError } from '../../errors.js'
import type { ListenerKind, RunningListeners, Spawner } from './kind.js'
import { perListener } from './launch.js'

/** The one socket: listening with `backlog`, or a UDP socket bound (`datagram`). */
async function openShared (host: string, port: number, backlog: number, datagram: boolean): Promise<{ fd: number, close: (fd: number) => void }> {
  const [{ closeSocket, openSocket }, { portInUse }] = await Promise.all([import('../../native/index.js'), import('../address.js')])
  try {
    return { fd: openSocket({ host, port, reuseaddr: true, ...(datagram ? { datagram } : { backlog }) }), close: closeSocket }
  } catch (err) {
    if (errnoCode(err) === 'EADDRINUSE') throw portInUse(host, port)
    throw new RunError('RB_LISTENER_START', `shared: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}

async function launchShared (s: Spawner): Promise<RunningListeners> {
  const opened = await openShared(s.opts.host, s.opts.port, s.opts.backlog, s.opts.protocol === 'udp')
  let fd = opened.fd
  const release = (): void => {
    if (fd < 0) return
    try { opened.close(fd) } catch {}
    fd = -1
  }
  try {
    return await perListener(s, () => ({ kind: 'inherited', fd: 4, backlog: s.opts.backlog }), { inheritFd: fd, onRelease: release })
  } catch (err) {
    release()
    throw err
  }
}

export const shared: ListenerKind = {
  mode: 'shared',
  description: 'one listening socket inherited by every process (one accept queue)',
  color: '#D55E00',
  member: 'listener process',
  byDefault: true,
  claims: { spread: { expect: 'more skewed than random hashing', source: 'Google (LWN 542629) saw the busiest thread take up to 3x the least busy on one shared socket; Node\'s docs, over 70% in 2 of 8 processes' } },
  reuseportGroup: false,
  datagrams: true,
  baseline: true,
  choose: () => ({ reuseport: false, reuseportLb: false, option: 'shared fd', note: '' }),
  launch: launchShared
}
