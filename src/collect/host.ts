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

const SYSCTLS: Record<string, string> = {
  'net.core.somaxconn': '/proc/sys/net/core/somaxconn',
  'net.ipv4.tcp_migrate_req': '/proc/sys/net/ipv4/tcp_migrate_req',
  'net.ipv4.tcp_max_syn_backlog': '/proc/sys/net/ipv4/tcp_max_syn_backlog',
  'net.ipv4.ip_local_port_range': '/proc/sys/net/ipv4/ip_local_port_range',
  'net.ipv4.tcp_tw_reuse': '/proc/sys/net/ipv4/tcp_tw_reuse'
}

export function hostFacts (): HostFacts {
  const sysctls: Record<string, string> = {}
  for (const [name, file] of Object.entries(SYSCTLS)) {
    try { sysctls[name] = readFileSync(file, 'utf8').trim().replace(/\s+/g, ' ') } catch {}
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
