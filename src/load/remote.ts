/**
 * Load from another network namespace: runs workers/loadgen.js under
 * `ip netns exec <ns>` and talks to it over IPC. Used inside the listeners'
 * namespace when `run --client-netns` made one for the client.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { RunError } from '../errors.js'
import type { LoadOptions, LoadResult } from './autocannon.js'

const LOADGEN = fileURLToPath(new URL('../../workers/loadgen.js', import.meta.url))

export interface LoadRequest { options: Omit<LoadOptions, 'signal' | 'onTick'>, sourceAddresses: string[] }
export type LoadReply = { ok: true, result: LoadResult } | { ok: false, message: string }

/** Environment of a run whose client lives in another namespace: its name and addresses. */
export const CLIENT_NETNS_ENV = 'RB_CLIENT_NETNS'
export const CLIENT_ADDRS_ENV = 'RB_CLIENT_ADDRS'

export function clientNetns (): { ns: string, addresses: string[] } | undefined {
  const ns = process.env[CLIENT_NETNS_ENV]
  if (ns === undefined || ns === '') return undefined
  return { ns, addresses: (process.env[CLIENT_ADDRS_ENV] ?? '').split(',').filter(Boolean) }
}

export function runLoadInNetns (ns: string, sourceAddresses: string[], o: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, LOADGEN], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
    let stderr = ''
    let settled = false
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000) })
    const { signal, onTick, ...options } = o
    void onTick
    const onAbort = (): void => { if (child.connected) child.send({ type: 'abort' }) }
    signal?.addEventListener('abort', onAbort, { once: true })
    child.on('message', (r: LoadReply) => {
      settled = true
      signal?.removeEventListener('abort', onAbort)
      if (r.ok) resolve(r.result)
      else reject(new RunError('RB_LOAD_FAILED', `load generator in ${ns}: ${r.message}`))
    })
    child.on('exit', code => {
      signal?.removeEventListener('abort', onAbort)
      if (!settled) reject(new RunError('RB_LOAD_FAILED', `load generator in ${ns} exited (code ${String(code)}): ${stderr.trim().split('\n').pop() ?? ''}`))
    })
    child.on('spawn', () => child.send({ options, sourceAddresses } satisfies LoadRequest))
  })
}
