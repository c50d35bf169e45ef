// A throwaway sshd for the tests of runs over ssh: its own host key and one
// client key made for the test in a temporary folder, listening only on
// 127.0.0.1 at a free port, root allowed by key only; `stop` kills it (and
// every session it started) and removes the folder.
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { scratch } from './scratch.js'

export const SSHD = '/usr/sbin/sshd'

export interface TestSshd { port: number, dir: string, key: string, child: ChildProcess, via: string }

/** Why an sshd cannot be run here, or undefined. */
export function sshdUnavailable (): string | undefined {
  if (!existsSync(SSHD)) return 'sshd is not installed (Debian openssh-server; .ci/run installs it)'
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the test sshd logs in as root'
  try {
    execFileSync('sh', ['-c', 'command -v ssh && command -v ssh-keygen'], { stdio: 'ignore' })
  } catch {
    return 'ssh or ssh-keygen is not installed (Debian openssh-client)'
  }
  return undefined
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

async function listening (port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const ok = await new Promise<boolean>(resolve => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true) })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`the test sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`)
}

export async function startSshd (): Promise<TestSshd> {
  const dir = scratch('rb-sshd-')
  const key = path.join(dir, 'client_key')
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')])
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${key}.pub`))
  mkdirSync('/run/sshd', { recursive: true }) // its privilege-separation folder
  const port = await freePort()
  writeFileSync(path.join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'PermitRootLogin prohibit-password',
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no',
    `PidFile ${path.join(dir, 'sshd.pid')}`, 'LogLevel ERROR'
  ].join('\n') + '\n')
  const child = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] })
  await listening(port, 10_000)
  const via = `ssh -i ${key} -p ${port} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1`
  return { port, dir, key, child, via }
}

/** The pids of sshd's sessions (its children), to check that none is left. */
export function sessionsOf (s: TestSshd): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(s.child.pid)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(x => x !== '').map(Number)
  } catch {
    return []
  }
}

export function stopSshd (s: TestSshd): void {
  for (const pid of sessionsOf(s)) { try { process.kill(pid, 'SIGKILL') } catch {} }
  s.child.kill('SIGKILL')
  rmSync(s.dir, { recursive: true, force: true })
}
