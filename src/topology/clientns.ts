/**
 * A separate client host on one machine: two network namespaces made for the
 * run (listeners in one, the load generator in the other) joined by a veth
 * pair, with one or more client addresses, so traffic crosses a link and the
 * listeners' 4-tuple hash sees different peers. Root and iproute2 needed; the
 * namespaces are removed afterwards, whatever happens.
 */
import { execFileSync } from 'node:child_process'
import { RunError } from '../errors.js'

export interface ClientTopology {
  serverNs: string
  clientNs: string
  serverAddress: string
  clientAddresses: string[]
  /** The link between them. */
  veth: [string, string]
}

/** Addresses inside the namespaces only (a /24 that exists nowhere but in them). */
const NET = '10.211.0'

function ip (...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' })
}

/** Creates the namespaces and the link; removes what it made if a step fails. */
export function createClientTopology (clientAddrs: number): ClientTopology {
  const id = String(process.pid)
  const t: ClientTopology = {
    serverNs: `rb-srv-${id}`,
    clientNs: `rb-cli-${id}`,
    serverAddress: `${NET}.1`,
    clientAddresses: Array.from({ length: clientAddrs }, (_x, i) => `${NET}.${10 + i}`),
    veth: [`rbs${id}`, `rbc${id}`]
  }
  try {
    ip('netns', 'add', t.serverNs)
    ip('netns', 'add', t.clientNs)
    ip('link', 'add', t.veth[0], 'type', 'veth', 'peer', 'name', t.veth[1])
    ip('link', 'set', t.veth[0], 'netns', t.serverNs)
    ip('link', 'set', t.veth[1], 'netns', t.clientNs)
    ip('-n', t.serverNs, 'link', 'set', 'lo', 'up')
    ip('-n', t.clientNs, 'link', 'set', 'lo', 'up')
    ip('-n', t.serverNs, 'addr', 'add', `${t.serverAddress}/24`, 'dev', t.veth[0])
    for (const a of t.clientAddresses) ip('-n', t.clientNs, 'addr', 'add', `${a}/24`, 'dev', t.veth[1])
    ip('-n', t.serverNs, 'link', 'set', t.veth[0], 'up')
    ip('-n', t.clientNs, 'link', 'set', t.veth[1], 'up')
  } catch (err) {
    removeClientTopology(t)
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim()
    throw new RunError('RB_NETNS', `cannot make the client/server namespaces: ${stderr ?? (err instanceof Error ? err.message : String(err))}`, { cause: err })
  }
  return t
}

export function removeClientTopology (t: ClientTopology): void {
  for (const ns of [t.clientNs, t.serverNs]) {
    try { ip('netns', 'del', ns) } catch {}
  }
}

/** Removes namespaces (and with them their veth ends) left by runs whose process no longer exists (a killed orchestrator). */
export function removeStaleTopologies (): void {
  let list: string
  try {
    list = execFileSync('ip', ['netns', 'list'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString()
  } catch {
    return
  }
  for (const line of list.split('\n')) {
    const m = /^(rb-(?:srv|cli)-(\d+))\b/.exec(line.trim())
    if (m === null || alive(Number(m[2]))) continue
    try { ip('netns', 'del', m[1] ?? '') } catch {}
  }
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
