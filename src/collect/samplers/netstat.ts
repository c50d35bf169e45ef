/**
 * The kernel's TCP counters that bear on accept queues, read from
 * /proc/net/netstat (this process's network namespace, which is the
 * listeners') before and after a cell's measured load; for a UDP run, the Udp
 * counters of /proc/net/snmp instead. The result keeps the deltas. Each
 * counter's one-line meaning is here, for the report.
 */
import { readFileSync } from 'node:fs'
import { num } from '../../numbers.js'
import type { KernelCounters } from '../../types/kernel.js'
import type { Sampler } from './sampler.js'
import { fieldOf } from '../../shape.js'

/** The TcpExt counters recorded, with what a non-zero delta means. */
export const COUNTERS: Readonly<Record<string, string>> = {
  ListenOverflows: 'a handshake completed but the accept queue was full: the connection was not queued',
  ListenDrops: 'a SYN or handshake dropped at a listener, overflows included (counted per packet, so per retransmission)',
  TCPReqQFullDrop: 'a SYN dropped because the SYN queue was full and SYN cookies were off',
  TCPReqQFullDoCookies: 'the SYN queue was full, so a SYN cookie was sent instead of queueing the request',
  TCPMigrateReqSuccess: 'a connection waiting in a closing reuseport listener was moved to another (net.ipv4.tcp_migrate_req=1)',
  TCPMigrateReqFailure: 'a connection in a closing reuseport listener could not be moved and was lost'
}

/** The Udp counters recorded for a UDP run (host-wide, this namespace), with what a non-zero delta means. */
export const UDP_COUNTERS: Readonly<Record<string, string>> = {
  RcvbufErrors: 'a datagram dropped because its socket\'s receive buffer was full',
  InErrors: 'a datagram received but not delivered (receive-buffer drops and checksum errors included)',
  NoPorts: 'a datagram to a port no socket was bound to',
  SndbufErrors: 'a datagram not sent because the send buffer was full',
  MemErrors: 'a datagram dropped because UDP\'s memory limit was reached'
}

/** Where each protocol's counters are read, and which. */
const SOURCES = {
  tcp: { file: '/proc/net/netstat', group: 'TcpExt', names: COUNTERS },
  udp: { file: '/proc/net/snmp', group: 'Udp', names: UDP_COUNTERS }
} as const

/** The counters of one group (TcpExt in /proc/net/netstat, Tcp in /proc/net/snmp) of such a text: a header line of names, then a line of values. */
export function parseNetstat (text: string, group = 'TcpExt'): Record<string, number> {
  const tag = `${group}:`
  const lines = text.split('\n')
  const out: Record<string, number> = {}
  for (let i = 0; i + 1 < lines.length; i++) {
    const names = lines[i]?.split(/\s+/) ?? []
    const values = lines[i + 1]?.split(/\s+/) ?? []
    if (names[0] !== tag || values[0] !== tag) continue
    for (let k = 1; k < names.length; k++) {
      const v = Number(values[k])
      if (names[k] !== undefined && names[k] !== '' && Number.isFinite(v)) out[names[k] as string] = v
    }
  }
  return out
}

/** The recorded counters' deltas from `before` to `after`; those the kernel lacks are listed as missing. */
export function counterDeltas (before: Record<string, number>, after: Record<string, number>, names: Readonly<Record<string, string>> = COUNTERS): KernelCounters {
  const deltas: Record<string, number> = {}
  const missing: string[] = []
  for (const name of Object.keys(names)) {
    const a = before[name]
    const b = after[name]
    if (a === undefined || b === undefined) missing.push(name)
    else deltas[name] = b - a
  }
  return { deltas, missing }
}

function read (protocol: keyof typeof SOURCES): Record<string, number> {
  const from = SOURCES[protocol]
  return parseNetstat(readFileSync(from.file, 'utf8'), from.group)
}

/** A counter's meaning, whichever protocol's it is (the recorded names do not overlap). */
const meaningOf = (name: string): string => COUNTERS[name] ?? UDP_COUNTERS[name] ?? ''

/** 'ListenOverflows +12 (meaning); …', or that none moved; or why nothing was read. */
export function countersText (c: KernelCounters): string {
  if (c.skipped !== undefined) return `kernel counters: not read (${c.skipped})`
  const moved = Object.entries(c.deltas).filter(([, v]) => v !== 0)
  const missing = c.missing.length === 0 ? '' : `; this kernel has no ${c.missing.join(', ')}`
  if (moved.length === 0) return `kernel counters over the load: none moved (${Object.keys(c.deltas).join(', ')})${missing}`
  return `kernel counters over the load: ${moved.map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${num(v)} (${meaningOf(k)})`).join('; ')}${missing}`
}

export const netstatSampler: Sampler<KernelCounters> = {
  name: 'netstat',
  description: 'kernel TCP counters for accept queues (overflows, drops, SYN-queue drops, reuseport migrations) over the load, from /proc/net/netstat; for UDP, the receive-buffer drops and errors of /proc/net/snmp (Linux)',
  scope: 'cell',
  is: (c: unknown): c is KernelCounters => typeof fieldOf(c, 'deltas') === 'object' && fieldOf(c, 'deltas') !== null,
  present: c => ({ lines: [countersText(c)] }),
  begin: target => {
    const protocol = target.protocol ?? 'tcp'
    const { file, names } = SOURCES[protocol]
    let before: Record<string, number>
    try {
      before = read(protocol)
    } catch (err) {
      const why = process.platform === 'linux' ? `${file} could not be read (${err instanceof Error ? err.message : String(err)})` : `${file} is Linux's; this is ${process.platform}`
      return () => ({ deltas: {}, missing: [], skipped: why })
    }
    return () => counterDeltas(before, read(protocol), names)
  }
}
