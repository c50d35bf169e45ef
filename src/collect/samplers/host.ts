/**
 * Facts about the host recorded with every result, so a figure is never
 * separated from the machine it came from.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { kernelFeatures } from '../../kernel/features.js'
import { addonOrigin, capabilities } from '../../native/index.js'
import type { HostFacts } from '../../types/host.js'
import type { Sampler } from './sampler.js'
import { readVirtualization } from './virtualization.js'

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
    capabilities: capabilities(),
    addon: addonOrigin(),
    virtualization: readVirtualization(),
    kernelFeatures: kernelFeatures()
  }
}

export const hostSampler: Sampler<HostFacts> = {
  name: 'host',
  description: 'the machine: OS, CPUs, memory, Node, bare metal, a guest or an emulated guest, the sysctls that bear on port sharing, what the addon can do',
  scope: 'run',
  // Its full shape is checked where a result is read back (schema/); here, that it is the host's facts.
  is: (v: unknown): v is HostFacts => typeof v === 'object' && v !== null && typeof (v as HostFacts).platform === 'string' && typeof (v as HostFacts).cpus === 'number',
  begin: () => {
    const facts = hostFacts()
    return () => facts
  }
}

/** 'vm, linux 6.18.44, 2 CPUs, Node v20.20.2': a host as the hosts lines and the connect progress name it. */
export function machine (f: HostFacts): string {
  return `${f.hostname}, ${f.platform} ${f.release}, ${f.cpus} CPU${f.cpus === 1 ? '' : 's'}, Node ${f.node}`
}
