/**
 * wrk (Debian's package), the oracle the benchmarks check the harness
 * against: one run of it, optionally pinned to CPUs (taskset) and with extra
 * headers, its requests/s and its CPU share of one core.
 */
import { execFileSync, spawn } from 'node:child_process'

/** Whether wrk, /usr/bin/time and taskset are installed. */
export function haveWrk (): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v wrk && command -v /usr/bin/time && command -v taskset'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export interface WrkOptions { port: number, seconds: number, connections: number, cpus?: readonly number[] | null, headers?: readonly string[] }

/** wrk's requests/s, its request count and its CPU share of one core (user + system time from /usr/bin/time over wall time). */
export function wrk (o: WrkOptions): Promise<{ rps: number, requests: number, coreShare: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const args = ['wrk', '-t1', `-c${o.connections}`, `-d${o.seconds}s`, ...(o.headers ?? []).flatMap(h => ['-H', h]), `http://127.0.0.1:${o.port}/`]
    const pinned = o.cpus === undefined || o.cpus === null ? args : ['taskset', '-c', o.cpus.join(','), ...args]
    const child = spawn('/usr/bin/time', ['-f', 'CPU %U %S', ...pinned], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr.on('data', (d: Buffer) => { err += d.toString() })
    child.on('error', reject)
    child.on('close', () => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9
      const m = /Requests\/sec:\s+([\d.]+)/.exec(out)
      const n = /(\d+) requests in/.exec(out)
      const c = /CPU ([\d.]+) ([\d.]+)/.exec(err)
      if (m === null) { reject(new Error(`wrk printed no Requests/sec: ${out}${err}`)); return }
      resolve({ rps: Number(m[1]), requests: Number(n?.[1] ?? NaN), coreShare: c === null ? NaN : (Number(c[1]) + Number(c[2])) / wall })
    })
  })
}
