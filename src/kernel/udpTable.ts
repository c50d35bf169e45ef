/**
 * The kernel's socket tables (/proc/net/tcp, udp and their IPv6 twins), and its table of UDP sockets: for each socket its local port, the bytes
 * waiting unread in its receive queue and the datagrams it dropped (a full receive buffer), by inode; and
 * the inodes of the sockets this process holds (/proc/self/fd). A UDP listener reads its own socket's
 * figures here, whichever way it got the socket (the addon, an inherited fd, Node's own bind).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

/** One row of the table. */
export interface UdpRow { port: number, inode: string, queuedBytes: number, drops: number }

/**
 * The rows of one of the kernel's socket tables, IPv4's and IPv6's ('tcp': /proc/net/tcp and tcp6), each
 * line after the header read by `row` (undefined: not a row); null where neither file can be read.
 */
export function procNetRows<R> (table: 'tcp' | 'udp', row: (line: string) => R | undefined): R[] | null {
  const rows: R[] = []
  let read = false
  for (const file of [`/proc/net/${table}`, `/proc/net/${table}6`]) {
    let text: string
    try { text = readFileSync(file, 'utf8'); read = true } catch { continue }
    for (const line of text.split('\n').slice(1)) {
      const r = row(line)
      if (r !== undefined) rows.push(r)
    }
  }
  return read ? rows : null
}

/** Every UDP socket of this network namespace; null where the table cannot be read (not Linux). */
export function procUdpRows (): UdpRow[] | null {
  return procNetRows('udp', rowOf)
}

/** "  12: 0100007F:A2C5 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 123456 2 0000... 0" */
export function rowOf (line: string): UdpRow | undefined {
  const f = line.trim().split(/\s+/)
  const hexPort = f[1]?.split(':')[1]
  const rx = f[4]?.split(':')[1]
  const inode = f[9]
  const drops = f[12]
  if (hexPort === undefined || rx === undefined || inode === undefined || drops === undefined) return undefined
  const row = { port: parseInt(hexPort, 16), inode, queuedBytes: parseInt(rx, 16), drops: Number(drops) }
  return Number.isFinite(row.port) && Number.isFinite(row.queuedBytes) && Number.isFinite(row.drops) ? row : undefined
}

/** The inodes of the sockets this process holds. */
export function ownSocketInodes (): Set<string> {
  const out = new Set<string>()
  let fds: string[]
  try { fds = readdirSync('/proc/self/fd') } catch { return out }
  for (const fd of fds) {
    let link: string
    try { link = readlinkSync(`/proc/self/fd/${fd}`) } catch { continue }
    const m = /^socket:\[(\d+)\]$/.exec(link)
    if (m?.[1] !== undefined) out.add(m[1])
  }
  return out
}

/** The rows of this process's UDP sockets on `port` (its socket in a group, and any it connected to one client); undefined when the table cannot be read. */
export function ownUdpSockets (port: number): UdpRow[] | undefined {
  const rows = procUdpRows()
  if (rows === null) return undefined
  const mine = ownSocketInodes()
  return rows.filter(r => r.port === port && mine.has(r.inode))
}
