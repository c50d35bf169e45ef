/**
 * Network namespaces the harness makes for a run (Linux, root): whether that
 * can be done here, and preparing one from the inside (loopback up,
 * per-namespace sysctls such as net.ipv4.tcp_migrate_req), never the host's.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { RunError } from '../errors.js'

/** The only sysctls a child run may set, inside its own namespace. */
const NAMESPACED_SYSCTLS = new Set(['net.ipv4.tcp_migrate_req'])

/** Inside a new namespace: loopback up, then the requested sysctls (only per-namespace ones are accepted). */
export function prepareNamespace (sysctls: Readonly<Record<string, string>>): void {
  try {
    execFileSync('ip', ['link', 'set', 'lo', 'up'], { stdio: 'pipe' })
    for (const [name, value] of Object.entries(sysctls)) {
      if (!NAMESPACED_SYSCTLS.has(name) || !/^\d+$/.test(value)) throw new Error(`refusing sysctl '${name}=${value}'`)
      writeFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, value)
    }
  } catch (err) {
    throw new RunError('RB_NETNS', `cannot prepare the network namespace: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}

/** Why a namespace cannot be made here, or undefined when it can be tried. */
export function netnsUnavailable (): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux-only (this is ${process.platform})`
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'creating a network namespace needs root (run as root, or skip this variant)'
  try {
    execFileSync('sh', ['-c', 'command -v unshare && command -v ip'], { stdio: 'ignore' })
  } catch {
    return 'unshare (util-linux) or ip (iproute2) is not installed'
  }
  return undefined
}
