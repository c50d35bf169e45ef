/**
 * Is this machine a guest, and is the guest emulated? A guest under QEMU's software emulation
 * (TCG) runs every instruction through a translator: its accounting and its bind/listen
 * outcomes are the kernel's, but its throughput and latency are the emulator's. Linux tells
 * the three apart without tools: the CPU's hypervisor flag (/proc/cpuinfo), the DMI vendor
 * (/sys/class/dmi/id), and whether KVM's paravirtual clock is offered (kvm-clock exists only
 * when QEMU runs on KVM, never under TCG). A process under user-mode emulation (qemu-user) is
 * emulated whatever the machine is.
 */
import { readFileSync } from 'node:fs'
import { userModeEmulation } from '../../kernel/emulation.js'
import type { Virtualization } from '../../types/host.js'

/** What the classification reads; null where it could not be read. */
export interface VirtualizationInputs {
  /** The sentence naming user-mode emulation of this process (kernel/emulation.ts), or null. */
  userMode?: string | null
  cpuFlags: readonly string[] | null
  dmiVendor: string | null
  clocksources: readonly string[] | null
}

/** The kind, from what was read: pure, so each rule is tested on its own. */
export function classifyVirtualization (i: VirtualizationInputs): Virtualization {
  // The process itself is emulated, whatever the machine under it is.
  if (typeof i.userMode === 'string') return { kind: 'emulated', evidence: i.userMode }
  if (i.cpuFlags === null) return { kind: 'unknown', evidence: 'no /proc/cpuinfo flags' }
  const vendor = i.dmiVendor === null ? 'no DMI vendor' : `DMI vendor ${i.dmiVendor}`
  if (!i.cpuFlags.includes('hypervisor')) return { kind: 'none', evidence: `no hypervisor flag; ${vendor}` }
  const kvmClock = i.clocksources?.includes('kvm-clock') ?? false
  const clock = i.clocksources === null ? 'clocksources unreadable' : kvmClock ? 'kvm-clock' : `no kvm-clock (${i.clocksources.join(', ')})`
  const evidence = `hypervisor flag; ${vendor}; ${clock}`
  if (i.dmiVendor === 'QEMU' && i.clocksources !== null && !kvmClock) return { kind: 'emulated', evidence }
  return { kind: 'virtual', evidence }
}

function read (file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return null
  }
}

/** This machine's kind (Linux); 'unknown' elsewhere. */
export function readVirtualization (): Virtualization {
  if (process.platform !== 'linux') return { kind: 'unknown', evidence: `not read on ${process.platform}` }
  const flagsLine = read('/proc/cpuinfo')?.split('\n').find(l => l.startsWith('flags'))
  const available = read('/sys/devices/system/clocksource/clocksource0/available_clocksource')
  return classifyVirtualization({
    userMode: userModeEmulation(),
    cpuFlags: flagsLine === undefined ? null : flagsLine.replace(/^flags\s*:\s*/, '').split(/\s+/),
    dmiVendor: read('/sys/class/dmi/id/sys_vendor'),
    clocksources: available === null ? null : available.split(/\s+/)
  })
}
