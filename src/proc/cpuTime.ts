/**
 * CPU time as the kernel counts it, from /proc (Linux): a process's (every
 * thread's user and system time, /proc/<pid>/stat) and each CPU's
 * (/proc/stat: busy, steal and idle time). Both are in USER_HZ ticks; where
 * /proc is not there (FreeBSD, macOS) every reader returns undefined.
 */
import { readFileSync } from 'node:fs'

/** Ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux architecture Node runs on. */
export const USER_HZ = 100

/** utime and stime of a /proc/<pid>/stat (or task) line, in ticks (fields 14 and 15; the name in parentheses may hold spaces). */
export function statTimes (stat: string): { utime: number, stime: number } | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const utime = Number(rest[11])
  const stime = Number(rest[12])
  return Number.isFinite(utime) && Number.isFinite(stime) ? { utime, stime } : undefined
}

/** utime + stime of a /proc/<pid>/stat line, in ticks. */
export function statTicks (stat: string): number | undefined {
  const t = statTimes(stat)
  return t === undefined ? undefined : t.utime + t.stime
}

/** A process's CPU time so far, in ticks; undefined when it is gone or there is no /proc. */
export function processTicks (pid: number): number | undefined {
  try {
    return statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return undefined
  }
}

/** One CPU's time so far, in ticks: busy (user, nice, system, irq, softirq), steal, and all of it (idle and iowait too). */
export interface CpuTicks { busy: number, steal: number, total: number }

/**
 * The `cpuN` lines of a /proc/stat text, by CPU number. Fields: user nice system idle iowait irq softirq
 * steal guest guest_nice; guest time is already inside user, so it is not added again.
 */
export function parseProcStat (text: string): Map<number, CpuTicks> {
  const out = new Map<number, CpuTicks>()
  for (const line of text.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line)
    if (m === null) continue
    const f = (m[2] ?? '').trim().split(/\s+/).map(Number)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f
    out.set(Number(m[1]), { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal })
  }
  return out
}

/** Every CPU's time so far; undefined without /proc/stat. */
export function cpuTicks (): Map<number, CpuTicks> | undefined {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'))
  } catch {
    return undefined
  }
}
