// Hosts for the tests of runs over several hosts: a server namespace and N
// client namespaces, each client joined to a bridge in the server's by a veth
// pair, with addresses that exist only inside them (10.212.0.0/24). Root and
// iproute2 needed; `remove` deletes every namespace (and with it its links).
import { execFileSync } from 'node:child_process'

export interface NetnsHosts { server: string, clients: string[], serverAddress: string, clientAddresses: string[] }

const ip = (...args: string[]): void => { execFileSync('ip', args, { stdio: 'pipe' }) }

export function createHosts (clients: number): NetnsHosts {
  const id = String(process.pid)
  const h: NetnsHosts = {
    server: `rbh-s-${id}`,
    clients: Array.from({ length: clients }, (_x, i) => `rbh-c${i + 1}-${id}`),
    serverAddress: '10.212.0.1',
    clientAddresses: Array.from({ length: clients }, (_x, i) => `10.212.0.${11 + i}`)
  }
  try {
    ip('netns', 'add', h.server)
    ip('-n', h.server, 'link', 'set', 'lo', 'up')
    ip('-n', h.server, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', h.server, 'addr', 'add', `${h.serverAddress}/24`, 'dev', 'br0')
    ip('-n', h.server, 'link', 'set', 'br0', 'up')
    h.clients.forEach((ns, i) => {
      const [a, b] = [`rbhs${i}-${id}`.slice(0, 15), `rbhc${i}-${id}`.slice(0, 15)]
      ip('netns', 'add', ns)
      ip('-n', ns, 'link', 'set', 'lo', 'up')
      ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b)
      ip('link', 'set', a, 'netns', h.server)
      ip('link', 'set', b, 'netns', ns)
      ip('-n', h.server, 'link', 'set', a, 'master', 'br0')
      ip('-n', h.server, 'link', 'set', a, 'up')
      ip('-n', ns, 'addr', 'add', `${h.clientAddresses[i] ?? ''}/24`, 'dev', b)
      ip('-n', ns, 'link', 'set', b, 'up')
    })
  } catch (err) {
    removeHosts(h)
    throw err
  }
  return h
}

/** The pids still running in namespace `ns`. */
export function pidsIn (ns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(x => x.trim() !== '').map(Number)
  } catch {
    return []
  }
}

export function removeHosts (h: NetnsHosts): void {
  for (const ns of [h.server, ...h.clients]) {
    for (const pid of pidsIn(ns)) { try { process.kill(pid, 'SIGKILL') } catch {} }
    try { ip('netns', 'del', ns) } catch {}
  }
}
