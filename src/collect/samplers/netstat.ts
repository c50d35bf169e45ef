/**
 * The kernel's TCP counters that bear on accept queues, read from
 * /proc/net/netstat (this process's network namespace, which is the
 * listeners') before and after a cell's measured load; the result keeps the
 * deltas. Each counter's one-line meaning is here, for the report.
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
export function counterDeltas (before: Record<string, number>, after: Record<string, number>): KernelCounters {
  const deltas: Record<string, number> = {}
  const missing: string[] = []
  for (const name of Object.keys(COUNTERS)) {
    const a = before[name]
    const b = after[name]
    if (a === undefined || b === undefined) missing.push(name)
    else deltas[name] = b - a
  }
  return { deltas, missing }
}

function read (): Record<string, number> {
  return parseNetstat(readFileSync('/proc/net/netstat', 'utf8'))
}

/** 'ListenOverflows +12 (meaning); …', or that none moved; or why nothing was read. */
export function countersText (c: KernelCounters): string {
  if (c.skipped !== undefined) return `kernel counters: not read (${c.skipped})`
  const moved = Object.entries(c.deltas).filter(([, v]) => v !== 0)
  const missing = c.missing.length === 0 ? '' : `; this kernel has no ${c.missing.join(', ')}`
  if (moved.length === 0) return `kernel counters over the load: none moved (${Object.keys(c.deltas).join(', ')})${missing}`
  return `kernel counters over the load: ${moved.map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${num(v)} (${COUNTERS[k] ?? ''})`).join('; ')}${missing}`
}

export const netstatSampler: Sampler<KernelCounters> = {
  name: 'netstat',
  description: 'kernel TCP counters for accept queues (overflows, drops, SYN-queue drops, reuseport migrations) over the load, from /proc/net/netstat (Linux)',
  scope: 'cell',
  is: (c: unknown): c is KernelCounters => typeof fieldOf(c, 'deltas') === 'object' && fieldOf(c, 'deltas') !== null,
  present: c => ({ lines: [countersText(c)] }),
  begin: () => {
    let before: Record<string, number>
    try {
      before = read()
    } catch (err) {
      const why = process.platform === 'linux' ? `/proc/net/netstat could not be read (${err instanceof Error ? err.message : String(err)})` : `/proc/net/netstat is Linux's; this is ${process.platform}`
      return () => ({ deltas: {}, missing: [], skipped: why })
    }
    return () => counterDeltas(before, read())
  }
}
