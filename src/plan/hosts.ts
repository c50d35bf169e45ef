/**
 * The plan's options of a run over several hosts (--target, --server-via,
 * --client-via, --remote-command), checked as the rest of the plan is
 * (validate.ts calls these): what such a run needs, and what it does not take.
 */
import { isIP } from 'node:net'
import { UsageError } from '../errors.js'
import { splitWords } from '../remote/transport.js'
import type { RawOptions, RunPlan } from '../types/plan.js'
import { integer, single } from './values.js'

/** --target HOST[:PORT] (IPv6 as [ADDR]:PORT): where client hosts send the load. */
export function parseTarget (v: unknown): RunPlan['target'] {
  const x = single('target', v)
  if (x === undefined || x === null) return null
  const text = String(x).trim()
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text) ?? /^([^:\s]+)(?::(\d+))?$/.exec(text) ?? (isIP(text) === 6 ? [text, text] : null)
  const host = m?.[1] ?? ''
  if (isIP(host) === 0) throw new UsageError(`--target must be HOST[:PORT] with HOST an IP address ([ADDR]:PORT for IPv6), got '${text}'`)
  return { host, port: m?.[2] === undefined ? -1 : integer('target', m[2], 0, 65535) }
}

/** A command line given as one string (a transport prefix, the remote command); null when not given. */
export function commandText (name: string, v: unknown): string | null {
  const x = single(name, v)
  if (x === undefined || x === null) return null
  const text = String(x).trim()
  if (text === '' || text.length > 1000 || /[\u0000-\u001f\u007f]/.test(text)) throw new UsageError(`--${name} must be a command line of at most 1000 printable characters, got '${String(x)}'`)
  if ((splitWords(text, name)[0] ?? '') === '') throw new UsageError(`--${name} '${text}' names no command`)
  return text
}

/** --client-via, repeatable: one transport prefix per client host. */
export function viaList (v: unknown): string[] {
  if (v === undefined || v === null) return []
  const list = (Array.isArray(v) ? v : [v]).map(x => commandText('client-via', x) ?? '')
  if (list.length > 16) throw new UsageError(`--client-via was given ${list.length} times; at most 16 client hosts`)
  return list
}

/** A run over several hosts: what it needs and what it does not take. */
export function overHosts (plan: RunPlan, raw: RawOptions): void {
  const target = plan.target
  if (target === null) throw new UsageError('--server-via and --client-via need --target HOST[:PORT]: the address at which the client hosts reach the listeners')
  if (plan.serverVia === null && plan.clientVia.length === 0) throw new UsageError('--target applies only with --server-via or --client-via (a local run loads its own listeners)')
  const refuse = (flag: string, given: boolean): void => { if (given) throw new UsageError(`--${flag} is not taken by a run over several hosts`) }
  refuse('client-netns', plan.clientNetns)
  refuse('restart', plan.restart)
  refuse('node', plan.node !== null && plan.serverVia !== null)
  refuse('listener-cpus', Array.isArray(plan.listenerCpus) && plan.serverVia !== null)
  refuse('client-cpus', Array.isArray(plan.clientCpus) && plan.clientVia.length > 0)
  if (target.port >= 0 && raw.port !== undefined && plan.port !== target.port) throw new UsageError(`--port ${plan.port} and --target port ${target.port} differ; give the port once`)
  if (target.port >= 0) plan.port = target.port
  target.port = plan.port
  if (raw.host === undefined) plan.host = target.host
  const hosts = Math.max(1, plan.clientVia.length)
  const fewest = Math.min(...plan.sweep.connections)
  if (fewest < hosts * plan.clientThreads) throw new UsageError(`--connections ${fewest} is fewer than ${hosts} client host${hosts === 1 ? '' : 's'} x ${plan.clientThreads} thread${plan.clientThreads === 1 ? '' : 's'}: each needs at least one`)
  if (plan.rate > 0 && plan.rate < hosts * plan.clientThreads) throw new UsageError(`--rate ${plan.rate} is below one request per second for each of ${hosts * plan.clientThreads} client threads`)
  // No CPU of this host is shared between a client and listeners that are elsewhere: 'auto' pins nothing.
  if (plan.clientCpus === 'auto') plan.clientCpus = 'all'
  if (plan.listenerCpus === 'auto') plan.listenerCpus = 'all'
}
