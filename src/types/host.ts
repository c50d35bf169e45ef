/**
 * The machines of a run: a host's facts, and, over several hosts, how each was reached and what its
 * clock and its share of the load were. At the bottom: imports only other types.
 */
import type { KernelFeature } from './features.js'
import type { LatencySummary } from './load.js'
import type { Capabilities } from './native.js'

export interface HostFacts {
  platform: string
  release: string
  arch: string
  cpus: number
  cpuModel: string
  memoryBytes: number
  node: string
  hostname: string
  /** Readable sysctls that bear on port sharing; missing ones are left out. */
  sysctls: Record<string, string>
  capabilities: Capabilities
  /** Which binary of the addon ran: 'built here' (a local node-gyp build) or a prebuild, 'prebuild linux-arm64'; absent in results written before it was recorded. */
  addon?: string
  /** What the machine runs on, as far as it can tell; absent in results written before it was recorded. */
  virtualization?: Virtualization
  /** The kernel features a run depends on, each tried on this kernel (kernel/features.ts); absent in results written before they were. */
  kernelFeatures?: KernelFeature[]
}

/**
 * Bare metal, a hypervisor's guest, or a guest under software emulation (QEMU without KVM: every
 * instruction translated, so its speed measures the emulator, not the kernel).
 */
export interface Virtualization {
  kind: 'none' | 'virtual' | 'emulated' | 'unknown'
  /** What the kind was read from, e.g. "cpuid hypervisor flag; DMI vendor QEMU; no kvm-clock". */
  evidence: string
}

/** A host's clock against the orchestrator's: its reading minus ours at the middle of the shortest of a few round trips (wrong by at most rttMs / 2). */
export interface ClockSkew { offsetMs: number, rttMs: number }

/** What a cell records of one host: how it was reached and what it is. */
export interface HostRecord {
  /** The transport prefix as given ('ssh -p 22 user@host'). */
  via: string
  /** The reuseport-bench version that ran there. */
  version: string
  facts: HostFacts
  clock: ClockSkew
}

/** A client host's share of a cell and what it did with it. */
export interface ClientHostRecord extends HostRecord {
  connections: number
  rate: number
  connectionsOpened: number
  responses: number
  errors: number
  rps: number
  latencyMs: LatencySummary
  /** Its load generator's CPU as a share of one core. */
  coreShare: number
  /** When its measured load began, ms after the planned start, by the orchestrator's clock (its own reading less its offset). */
  startedAfterMs: number
}

/** The hosts of a cell: the server's (absent when the listeners ran on the orchestrator's host), every client's, and how their clocks were read. */
export interface HostsRecord {
  server?: HostRecord
  /** Client hosts; empty when the load generator ran on the orchestrator's host. */
  clients: ClientHostRecord[]
  clock: { assumption: string, largestOffsetMs: number, largestRttMs: number, startSpreadMs: number }
}
