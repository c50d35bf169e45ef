/**
 * Facts about the host recorded with every result, so a figure is never
 * separated from the machine it came from.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { capabilities } from '../native/index.js'
import type { Capabilities } from '../native/index.js'

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
}

const SYSCTLS = ['net.core.somaxconn', 'net.ipv4.tcp_migrate_req', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_tw_reuse']

/** A sysctl of this process's network namespace (from /proc/sys), or null where it cannot be read. */
export function readSysctl (name: string): string | null {
  try {
    return readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim().replace(/\s+/g, ' ')
  } catch {
    return null
  }
}

export function hostFacts (): HostFacts {
  const sysctls: Record<string, string> = {}
  for (const name of SYSCTLS) {
    const v = readSysctl(name)
    if (v !== null) sysctls[name] = v
  }
  const cpus = os.cpus()
  return {
    platform: process.platform,
    release: os.release(),
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    hostname: os.hostname(),
    sysctls,
    capabilities: capabilities()
  }
}
