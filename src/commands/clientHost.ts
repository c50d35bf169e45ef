/**
 * `run --client-netns`: the same command re-run inside a server namespace, with its load generator in a client namespace.
 */
import { InterruptedError, RunError } from '../errors.js'
import path from 'node:path'
import type { ModeRun } from '../run.js'
import { createClientTopology, removeClientTopology } from '../topology/clientns.js'
import { CLIENT_ADDRS_ENV, CLIENT_NETNS_ENV } from '../load/remote.js'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { ResultDoc } from '../report/result.js'

/** Removes the options that the parent handles from this invocation's arguments. */
function childArgs (drop: readonly string[], dropBool: readonly string[]): string[] {
  const out: string[] = []
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    const name = a.replace(/^--(no-)?/, '').split('=')[0] ?? ''
    if (a.startsWith('--') && dropBool.includes(name)) continue
    if (a.startsWith('--') && drop.includes(name)) {
      if (!a.includes('=')) i++
      continue
    }
    out.push(a)
  }
  return out
}

/**
 * The whole plan with the listeners in one network namespace and the load
 * generator in another, joined by a veth pair: re-runs this command inside
 * the server namespace and returns its runs.
 */
export async function runsWithClientHost (clientAddrs: number, quiet: boolean, signal: AbortSignal): Promise<ModeRun[]> {
  const topo = createClientTopology(clientAddrs)
  const cleanup = (): void => removeClientTopology(topo)
  process.once('exit', cleanup)
  const out = mkdtempSync(path.join(tmpdir(), 'rb-client-host-'))
  try {
    const args = [...childArgs(['out', 'host', 'client-addrs', 'port'], ['client-netns', 'json', 'probe']), '--host', topo.serverAddress, '--json', '--out', out]
    const child = spawn('ip', ['netns', 'exec', topo.serverNs, process.execPath, fileURLToPath(new URL('../../../bin/reuseport-bench.js', import.meta.url)), ...args], {
      env: { ...process.env, [CLIENT_NETNS_ENV]: topo.clientNs, [CLIENT_ADDRS_ENV]: topo.clientAddresses.join(',') },
      stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit']
    })
    const onAbort = (): void => { child.kill('SIGTERM') }
    signal.addEventListener('abort', onAbort, { once: true })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    const code = await new Promise<number | null>(resolve => child.on('close', c => resolve(c)))
    signal.removeEventListener('abort', onAbort)
    if (signal.aborted) throw new InterruptedError(String(signal.reason ?? 'signal'))
    if (code !== 0) throw new RunError('RB_LOAD_FAILED', `the run in network namespace ${topo.serverNs} failed (exit ${String(code)}; its message is above)`)
    const doc = JSON.parse(stdout) as ResultDoc
    return doc.runs.map(r => ({ ...r, clientHost: { clientNs: topo.clientNs, serverNs: topo.serverNs, serverAddress: topo.serverAddress, clientAddresses: topo.clientAddresses } }))
  } finally {
    rmSync(out, { recursive: true, force: true })
    cleanup()
    process.removeListener('exit', cleanup)
  }
}
