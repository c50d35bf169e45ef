/**
 * The only module that loads the C++ addon (build/Release/reuseport.node).
 * Everything else calls these typed functions.
 */
import { createRequire } from 'node:module'
import { isIP } from 'node:net'
import { HarnessError } from '../errors.js'

/** Socket options the addon can set or read. */
export type SocketOptionName = 'SO_REUSEADDR' | 'SO_REUSEPORT' | 'SO_REUSEPORT_LB' | 'IPV6_V6ONLY' | 'SO_ACCEPTCONN'

/** What this platform's headers define, as compiled into the addon. */
export interface Capabilities {
  SO_REUSEPORT: boolean
  SO_REUSEPORT_LB: boolean
  IPV6_V6ONLY: boolean
  SO_ATTACH_REUSEPORT_CBPF: boolean
  /** Whether plain SO_REUSEPORT spreads TCP connections over the group (Linux yes, BSDs no). */
  reuseportBalances: boolean
}

export interface OpenOptions {
  host: string
  port: number
  reuseaddr?: boolean
  reuseport?: boolean
  reuseportLb?: boolean
  /** IPv6 only: set IPV6_V6ONLY to this value; left as the OS default when undefined. */
  v6only?: boolean
  /** listen() with this backlog; when undefined the socket is only bound. */
  backlog?: number
}

export interface LocalAddress {
  address: string
  port: number
  family: 4 | 6
}

interface Addon {
  open(o: OpenOptions & { family: 4 | 6, backlog: number }): number
  listen(fd: number, backlog: number): void
  getOption(fd: number, name: string): number
  localAddress(fd: number): LocalAddress
  close(fd: number): void
  capabilities(): Capabilities
}

let addon: Addon | undefined

function load (): Addon {
  if (addon !== undefined) return addon
  const require = createRequire(import.meta.url)
  try {
    addon = require('../../../build/Release/reuseport.node') as Addon
  } catch (err) {
    throw new HarnessError('RB_ADDON_MISSING',
      `native addon not built (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); run \`npm install\` or \`npx node-gyp rebuild\` in the project folder`, 1)
  }
  return addon
}

/**
 * Creates a TCP socket, sets the requested options, binds and (if `backlog` is
 * given) listens. Returns the fd. Throws an Error whose `code` is the errno
 * name; the fd is closed on every error path (in C++).
 */
export function openSocket (o: OpenOptions): number {
  const family = isIP(o.host)
  if (family !== 4 && family !== 6) throw new TypeError(`host must be an IPv4 or IPv6 address, got '${o.host}'`)
  return load().open({ ...o, family, backlog: o.backlog ?? -1 })
}

/** listen() on a socket opened without a backlog. */
export function listenSocket (fd: number, backlog: number): void {
  load().listen(fd, backlog)
}

/** getsockopt() for an integer option. */
export function getOption (fd: number, name: SocketOptionName): number {
  return load().getOption(fd, name)
}

/** getsockname() */
export function localAddress (fd: number): LocalAddress {
  return load().localAddress(fd)
}

export function closeSocket (fd: number): void {
  load().close(fd)
}

export function capabilities (): Capabilities {
  return load().capabilities()
}
