/**
 * A kernel feature that decides what the harness can measure, as found on this host by a probe at run
 * time (src/kernel/features.ts), never from a table of version numbers. At the bottom: imports nothing.
 */

export type KernelFeatureId = 'tcp_migrate_req' | 'incoming-cpu-selection' | 'ebpf-reuseport' | 'epoll-exclusive' | 'reuseport-bpf-detach' | 'sock-diag-listeners'

export interface KernelFeature {
  id: KernelFeatureId
  /** What it is, for a reader: "net.ipv4.tcp_migrate_req". */
  what: string
  /** The first mainline Linux that has it, for the refusal's sentence ("needs Linux 5.14"). */
  firstLinux: string
  /** Found (true), missing (false), or not decidable here (null: not Linux, not root, one CPU...). */
  found: boolean | null
  /** How the probe decided, in a few words. */
  detail: string
}
