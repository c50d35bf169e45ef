/**
 * Runs that need a network namespace of their own (Linux, root): the harness
 * re-executes itself under `unshare --net`, brings loopback up there and sets
 * per-namespace sysctls (net.ipv4.tcp_migrate_req) there only, never on the host.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { RunError } from '../errors.js'
import type { ResultDoc } from '../report/result.js'

/** Set in the re-executed child: comma-separated name=value sysctls to apply inside the namespace. */
export const NETNS_ENV = 'RB_NETNS_SYSCTLS'
const BIN = fileURLToPath(new URL('../../../bin/reuseport-bench.js', import.meta.url))

/** True inside a namespace made by runInNetns. */
export function inOwnNetns (): boolean {
  return process.env[NETNS_ENV] !== undefined
}

/** Inside the new namespace: loopback up, then the requested sysctls (only per-namespace ones are accepted). */
export function prepareNetns (): void {
  const spec = process.env[NETNS_ENV]
  if (spec === undefined) return
  try {
    execFileSync('ip', ['link', 'set', 'lo', 'up'], { stdio: 'pipe' })
    for (const kv of spec.split(',').filter(Boolean)) {
      const [name, value] = kv.split('=')
      if (name === undefined || value === undefined || !/^net\.ipv4\.tcp_migrate_req$/.test(name)) throw new Error(`refusing sysctl '${kv}'`)
      writeFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, value)
    }
  } catch (err) {
    throw new RunError('RB_LISTENER_START', `cannot prepare the network namespace: ${err instanceof Error ? err.message : String(err)}`)
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

/**
 * `reuseport-bench run <args> --json` in a fresh network namespace with
 * `sysctls` set inside it. Resolves with its result document.
 */
export function runInNetns (args: readonly string[], sysctls: Record<string, string>): Promise<ResultDoc> {
  const out = mkdtempSync(path.join(tmpdir(), 'rb-netns-'))
  return new Promise<ResultDoc>((resolve, reject) => {
    const env = { ...process.env, [NETNS_ENV]: Object.entries(sysctls).map(([k, v]) => `${k}=${v}`).join(',') }
    const child = spawn('unshare', ['--net', '--', process.execPath, BIN, 'run', ...args, '--json', '--out', out], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('error', err => reject(new RunError('RB_LOAD_FAILED', `unshare: ${err.message}`)))
    child.on('close', code => {
      rmSync(out, { recursive: true, force: true })
      if (code !== 0) {
        reject(new RunError('RB_LOAD_FAILED', `run in a network namespace failed (exit ${String(code)}): ${stderr.trim().split('\n').pop() ?? ''}`))
        return
      }
      try {
        resolve(JSON.parse(stdout) as ResultDoc)
      } catch {
        reject(new RunError('RB_LOAD_FAILED', 'run in a network namespace printed no result'))
      }
    })
  })
}
