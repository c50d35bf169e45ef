/**
 * Checks on where listeners may go, made with real sockets before anything is
 * started: the host must be an address of this machine and the port free.
 */
import { isIP } from 'node:net'
import { errnoCode, HarnessError, UsageError } from '../errors.js'
import { closeSocket, openSocket } from '../native/index.js'
import { describeHolders } from './holder.js'

/** Throws a UsageError unless `host` is an IP address that can be bound here. */
export function assertLocalAddress (host: string): void {
  if (isIP(host) === 0) throw new UsageError(`--host must be an IP address (IPv4 or IPv6), got '${host}'`)
  let fd: number
  try {
    fd = openSocket({ host, port: 0 })
  } catch (err) {
    // No addon is no fault of the address: its own line says what to install.
    if (err instanceof HarnessError) throw err
    if (errnoCode(err) === 'EADDRNOTAVAIL') throw new UsageError(`--host ${host} is not an address of this machine`, 'RB_ADDR_NOT_LOCAL')
    throw new UsageError(`--host ${host} cannot be bound: ${err instanceof Error ? err.message : String(err)}`, 'RB_ADDR_NOT_LOCAL')
  }
  closeSocket(fd)
}

/** Throws a UsageError naming the holder when something already listens on host:port. */
export function assertPortFree (host: string, port: number): void {
  if (port === 0) return
  let fd: number
  try {
    // SO_REUSEADDR like every server sets, but no SO_REUSEPORT: joining someone
    // else's reuseport group by accident would be worse than failing.
    fd = openSocket({ host, port, reuseaddr: true, backlog: 1 })
  } catch (err) {
    const code = errnoCode(err)
    if (code === 'EADDRINUSE') throw portInUse(host, port)
    if (code === 'EACCES') throw new UsageError(`port ${port} is privileged; run as root or pick a port above 1023`, 'RB_USAGE')
    throw new UsageError(`cannot use ${host}:${port}: ${err instanceof Error ? err.message : String(err)}`)
  }
  closeSocket(fd)
}

export function portInUse (host: string, port: number): UsageError {
  const holders = describeHolders(port)
  return new UsageError(`port ${port} on ${host} is already in use${holders === '' ? '' : ` by ${holders}`}`, 'RB_PORT_IN_USE')
}

/** Where the load generator connects for a listener bound on `host`: wildcards become loopback. */
export function loadTarget (host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '::1'
  return host
}
