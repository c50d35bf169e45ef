/**
 * A run's claim on its port, held from before its first socket until the
 * process ends. SO_REUSEPORT lets two runs of this tool (same user) bind one
 * port and silently count each other's traffic; a port check before the bind
 * cannot see a run that starts at the same moment. The claim can: on Linux it
 * is an abstract Unix socket named after the port, which only one process can
 * bind, which the kernel frees when the process dies however it dies, and which
 * belongs to the network namespace (as the port does). Elsewhere it is a lock
 * file holding the owner's pid, taken over when that pid is gone.
 * Another run that finds the port claimed is told who holds it.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { errnoCode, UsageError } from '../errors.js'
import { commandLine } from '../proc/commandLine.js'

/** Ports this process holds, so a second cell or a second API call in it reuses its own claim. */
const held = new Set<number>()

/** The holder's answer: its pid and command, as one line. */
function whoAmI (): string {
  return `pid ${process.pid}: ${commandLine()}`.slice(0, 300)
}

function claimed (port: number, holder: string): UsageError {
  return new UsageError(`port ${port} is claimed by another reuseport-bench run (${holder}); runs that share a port count each other's connections: give each its own --port, or --port 0`, 'RB_PORT_IN_USE')
}

/** Asks the process that holds the abstract socket who it is (at most 1 s). */
function askHolder (name: string): Promise<string> {
  return new Promise(resolve => {
    let text = ''
    const sock = net.connect({ path: name })
    const done = (): void => { sock.destroy(); resolve(text.trim() === '' ? 'it did not say which' : text.trim()) }
    sock.setTimeout(1000, done)
    sock.on('data', d => { text += d.toString('utf8') })
    sock.on('end', done)
    sock.on('error', done)
  })
}

async function claimAbstract (port: number): Promise<void> {
  const name = `\0reuseport-bench/port/${port}`
  const server = net.createServer(sock => { sock.end(`${whoAmI()}\n`) })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ path: name }, () => { server.off('error', reject); resolve() })
  }).catch(async (err: unknown) => {
    if (errnoCode(err) !== 'EADDRINUSE') throw new UsageError(`cannot claim port ${port} for this run: ${errnoCode(err) ?? String(err)}`, 'RB_PORT_IN_USE', { cause: err })
    throw claimed(port, await askHolder(name))
  })
  server.unref() // the claim never keeps the process alive; it ends with it
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return errnoCode(err) === 'EPERM'
  }
}

/** A lock file with the owner's pid, created exclusively; one whose owner is gone is taken over. */
function claimFile (port: number): void {
  const file = path.join(tmpdir(), `reuseport-bench-port-${port}.lock`)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, `${process.pid}\n${whoAmI()}\n`)
      closeSync(fd)
      process.once('exit', () => { try { rmSync(file, { force: true }) } catch {} })
      return
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw new UsageError(`cannot claim port ${port} for this run: ${errnoCode(err) ?? String(err)}`, 'RB_PORT_IN_USE', { cause: err })
    }
    let lines: string[] = []
    try { lines = readFileSync(file, 'utf8').split('\n') } catch {}
    const pid = Number(lines[0])
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw claimed(port, lines[1] ?? `pid ${pid}`)
    rmSync(file, { force: true }) // its owner is gone
  }
  throw claimed(port, 'it keeps being taken')
}

/**
 * Claims `port` for this process until it exits (port 0, a port the kernel picks per cell, needs
 * no claim). Bad input (RB_PORT_IN_USE) when another run of this tool holds it.
 */
export async function claimPort (port: number): Promise<void> {
  if (port === 0 || held.has(port)) return
  if (process.platform === 'linux') await claimAbstract(port)
  else claimFile(port)
  held.add(port)
}
