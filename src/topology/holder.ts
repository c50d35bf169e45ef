/**
 * Who holds a TCP port (Linux, best effort): /proc/net/tcp{,6} gives the
 * socket inode of a listener on the port, /proc/<pid>/fd finds its owner.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { procNetRows } from '../kernel/udpTable.js'

export interface PortHolder { pid: number, command: string }

/** One row of /proc/net/tcp{,6}: local port, state (hex, e.g. 0A listen, 06 time-wait), socket inode. */
export interface TcpRow { port: number, state: string, inode: string }

/** Every IPv4 and IPv6 TCP socket of this network namespace; null when /proc/net/tcp cannot be read. */
export function procTcpRows (): TcpRow[] | null {
  return procNetRows('tcp', line => {
    const f = line.trim().split(/\s+/)
    const hexPort = f[1]?.split(':')[1]
    return hexPort === undefined || f[3] === undefined || f[9] === undefined ? undefined : { port: parseInt(hexPort, 16), state: f[3], inode: f[9] }
  })
}

function listeningInodes (port: number): Set<string> {
  return new Set((procTcpRows() ?? []).filter(r => r.port === port && r.state === '0A' && r.inode !== '0').map(r => r.inode))
}

/** The processes holding a listening socket on `port`; empty when unknown. */
export function findPortHolders (port: number): PortHolder[] {
  const inodes = listeningInodes(port)
  if (inodes.size === 0) return []
  const holders: PortHolder[] = []
  let pids: string[]
  try { pids = readdirSync('/proc').filter(d => /^\d+$/.test(d)) } catch { return [] }
  for (const pid of pids) {
    let fds: string[]
    try { fds = readdirSync(`/proc/${pid}/fd`) } catch { continue }
    for (const fd of fds) {
      let link: string
      try { link = readlinkSync(`/proc/${pid}/fd/${fd}`) } catch { continue }
      const m = /^socket:\[(\d+)\]$/.exec(link)
      if (m?.[1] !== undefined && inodes.has(m[1])) {
        let command = '?'
        try { command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim() } catch {}
        holders.push({ pid: Number(pid), command })
        break
      }
    }
  }
  return holders
}

/** "pid 123 (nginx)" style text, or '' when nothing was found. */
export function describeHolders (port: number): string {
  const h = findPortHolders(port)
  return h.map(x => `pid ${x.pid} (${x.command})`).join(', ')
}
