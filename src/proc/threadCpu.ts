/**
 * The CPU time of the calling thread, and its kernel thread id: Node's
 * process.threadCpuUsage() where the running Node has it (22.19+, 23.9+),
 * else utime and stime of /proc/thread-self/stat (Linux; the same figures as
 * /proc/self/task/<tid>/stat, in USER_HZ ticks). Without either it reads 0,
 * and the listener's CPU is reported as unknown rather than as its process's.
 */
import { readFileSync } from 'node:fs'
import { statTimes, USER_HZ } from './cpuTime.js'

type Usage = { user: number, system: number }

/** The calling thread's stat line; undefined without /proc. */
function ownStat (): string | undefined {
  try {
    return readFileSync('/proc/thread-self/stat', 'utf8')
  } catch {
    return undefined
  }
}

/** utime and stime of a stat line, in microseconds. */
export function statUsage (stat: string): Usage | undefined {
  const t = statTimes(stat)
  return t === undefined ? undefined : { user: t.utime * 1e6 / USER_HZ, system: t.stime * 1e6 / USER_HZ }
}

/** This thread's clock, and its id where /proc gives it. Call from the thread it is for. */
export function threadClock (): { cpu: () => Usage, tid?: number } {
  const stat = ownStat()
  const tid = stat === undefined ? undefined : Number(stat.slice(0, stat.indexOf(' ')))
  const own = (process as { threadCpuUsage?: () => Usage }).threadCpuUsage
  const cpu = typeof own === 'function'
    ? () => own.call(process)
    : () => { const s = ownStat(); return (s === undefined ? undefined : statUsage(s)) ?? { user: 0, system: 0 } }
  return { cpu, ...(tid === undefined || !Number.isSafeInteger(tid) ? {} : { tid }) }
}
