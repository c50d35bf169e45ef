/**
 * What a stall does to a listener on a socket of its own, from the kernel:
 * around each stall it reads its socket's accept queue (TCP_INFO) and the
 * namespace's count of connections accepted by the kernel (Tcp PassiveOpens,
 * /proc/net/snmp). Connections that queued on it meanwhile, out of all new
 * ones meanwhile, is its share of the new connections during the stall: what
 * a load-aware steering program should bring near 0 and the kernel's hash
 * keeps near 1/N. Linux only; elsewhere nothing is recorded.
 */
import { readFileSync } from 'node:fs'
import { parseNetstat } from '../../collect/samplers/netstat.js'
import { acceptQueue } from '../../native/index.js'
import type { StallWindow } from '../../types/listener.js'

/** At most this many stalls are kept (hours of 100 ms stalls every 500 ms would be more). */
export const MAX_WINDOWS = 20_000

function passiveOpens (): number | undefined {
  try {
    return parseNetstat(readFileSync('/proc/net/snmp', 'utf8'), 'Tcp').PassiveOpens
  } catch {
    return undefined
  }
}

function queued (fd: number): number | undefined {
  try {
    return acceptQueue(fd).queued
  } catch {
    return undefined
  }
}

export class StallProbe {
  readonly windows: StallWindow[] = []

  constructor (private readonly fd: number) {}

  /** Runs `stall` and records what queued on the socket during it, out of what the host accepted. */
  around (stall: () => void): void {
    const q0 = queued(this.fd)
    const p0 = passiveOpens()
    stall()
    const q1 = queued(this.fd)
    const p1 = passiveOpens()
    if (q0 === undefined || q1 === undefined || p0 === undefined || p1 === undefined || this.windows.length >= MAX_WINDOWS) return
    this.windows.push({ queued: Math.max(0, q1 - q0), opened: Math.max(0, p1 - p0) })
  }

  /** Forgets the stalls so far (the warm-up's). */
  reset (): void {
    this.windows.length = 0
  }
}
