/**
 * Which CPUs the load generator and the listeners run on. A client that
 * shares CPUs with the listeners it measures takes CPU from them unevenly,
 * and on a small host that decides the comparison (issue 13: with a new
 * connection per request the shared client hid half of cluster's cost).
 * The default rule on a host with 2 or more allowed CPUs: the client gets a
 * quarter of them (at least one; the lowest-numbered), the listeners the
 * rest, disjoint. With one CPU, or where the addon cannot pin (not Linux),
 * nothing is pinned and the result says why. Pure: the allowed CPUs and
 * whether pinning works are passed in.
 */
import { UsageError } from '../errors.js'
import type { CpuChoice } from '../types/plan.js'
import type { CpuSets } from '../types/run.js'

export { MAX_CPU } from '../limits.js'
import { MAX_CPU } from '../limits.js'

/** "0-3,6" for [0, 1, 2, 3, 6]. */
export function cpuListText (cpus: readonly number[]): string {
  const s = [...new Set(cpus)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < s.length; i++) {
    let j = i
    while (j + 1 < s.length && s[j + 1] === (s[j] ?? 0) + 1) j++
    parts.push(j === i ? String(s[i]) : `${String(s[i])}-${String(s[j])}`)
    i = j
  }
  return parts.join(',')
}

/** --client-cpus / --listener-cpus: 'auto', 'all', or a list such as 0-1,3 (sorted, without repeats). */
export function parseCpuChoice (name: string, v: unknown): CpuChoice {
  if (Array.isArray(v)) throw new UsageError(`--${name} was given ${v.length} times; give it once`)
  if (v === undefined || v === null) return 'auto'
  const text = String(v).trim()
  if (text === 'auto' || text === 'all') return text
  const out = new Set<number>()
  for (const item of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item.trim())
    const lo = Number(m?.[1])
    const hi = m?.[2] === undefined ? lo : Number(m[2])
    if (m === null || hi < lo || hi > MAX_CPU) throw new UsageError(`--${name} takes auto, all, or CPU numbers and ranges such as 0-1,3 (up to ${MAX_CPU}), got '${text}'`)
    for (let c = lo; c <= hi; c++) out.add(c)
  }
  return [...out].sort((a, b) => a - b)
}

/** The default rule on `available` CPUs; null sets when there is nothing to split. */
function autoSets (available: readonly number[]): CpuSets {
  if (available.length < 2) return { client: null, listeners: null, rule: `not pinned: only ${available.length} CPU is allowed, so the client and the listeners share it` }
  const n = Math.max(1, Math.floor(available.length / 4))
  return {
    client: available.slice(0, n),
    listeners: available.slice(n),
    rule: `default: the client on a quarter of the ${available.length} allowed CPUs (at least one), the listeners on the rest, so the client does not take CPU from the listeners it measures`
  }
}

/** An explicit list must be allowed here. */
function allowed (name: string, cpus: readonly number[], available: readonly number[]): number[] {
  const missing = cpus.filter(c => !available.includes(c))
  if (missing.length > 0) throw new UsageError(`--${name} ${cpuListText(cpus)}: this process may run only on CPUs ${cpuListText(available)}`)
  return [...cpus]
}

/**
 * The CPU sets of a run from the plan's choices, the CPUs this process may
 * use and whether the addon can pin. A side given as a list and the other
 * as 'auto' gets the remaining CPUs (all of them when none remain).
 */
export function resolveCpuSets (client: CpuChoice, listeners: CpuChoice, available: readonly number[], canPin: boolean): CpuSets {
  const explicit = Array.isArray(client) || Array.isArray(listeners)
  if (!canPin) {
    if (explicit) throw new UsageError('--client-cpus and --listener-cpus need CPU pinning (sched_setaffinity), which the addon has only on Linux', 'RB_UNSUPPORTED')
    return { client: null, listeners: null, rule: 'not pinned: this OS offers the addon no CPU pinning' }
  }
  if (client === 'auto' && listeners === 'auto') return autoSets(available)
  const rest = (taken: readonly number[]): number[] => {
    const left = available.filter(c => !taken.includes(c))
    return left.length === 0 ? [...available] : left
  }
  const c = Array.isArray(client) ? allowed('client-cpus', client, available) : null
  const l = Array.isArray(listeners) ? allowed('listener-cpus', listeners, available) : null
  const sets: CpuSets = {
    client: c ?? (client === 'auto' && l !== null ? rest(l) : null),
    listeners: l ?? (listeners === 'auto' && c !== null ? rest(c) : null),
    rule: 'as given'
  }
  if (sets.client !== null && sets.listeners !== null && sets.client.some(x => sets.listeners?.includes(x) === true)) sets.rule = 'as given; the client and the listeners share CPUs'
  return sets
}

/** "client on CPU 0, listeners on CPUs 1-3" and the rule. */
export function describeCpuSets (s: CpuSets): string {
  const side = (name: string, cpus: number[] | null): string => cpus === null ? `${name} not pinned` : `${name} on CPU${cpus.length === 1 ? '' : 's'} ${cpuListText(cpus)}`
  return `${side('client', s.client)}, ${side('listeners', s.listeners)} (${s.rule})`
}
