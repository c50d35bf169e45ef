/**
 * The registry of listener kinds: every way of sharing a port the harness
 * knows. A new kind is one file beside this one plus one line here; --modes,
 * --help, the plan's validation and the report all read this list. It is data:
 * each kind loads the code that starts its listeners only when it launches, so
 * reading the list (names, colours, claims) loads no listener machinery.
 */
import { UsageError } from '../../errors.js'
import type { Capabilities } from '../../types/native.js'
import type { ReuseChoice } from '../../types/run.js'
import { boundSocket } from './boundSocket.js'
import { cluster, clusterOs, clusterReuseport } from './cluster.js'
import { incomingCpu } from './incomingCpu.js'
import { nodeReuseport } from './nodeReuseport.js'
import type { KernelCheck, ListenerKind } from './kind.js'
import { reuseport, reuseportPlain, single } from './own.js'
import { shared } from './shared.js'
import { threads } from './threads.js'
import { threadsRr } from './threadsRr.js'

export const LISTENER_KINDS: readonly ListenerKind[] = [
  reuseport,
  reuseportPlain,
  shared,
  cluster,
  single,
  nodeReuseport,
  incomingCpu,
  threads,
  boundSocket,
  clusterOs,
  clusterReuseport,
  threadsRr
]

/** Every kind's name, in registry order. */
export const MODES: readonly string[] = LISTENER_KINDS.map(k => k.mode)

/** Every name a result may record for a mode: each kind, and its arms (#2 to #9). */
export const MODE_NAMES: readonly string[] = MODES.flatMap(m => [m, ...[2, 3, 4, 5, 6, 7, 8, 9].map(i => `${m}#${i}`)])

/** A second (third, ...) arm of a kind in one plan: 'reuseport#2' runs reuseport's listeners under its own name. */
export function armName (kind: string, arm: number): string {
  return `${kind}#${arm}`
}

/** The kind an arm runs: 'reuseport#2' -> 'reuseport'; a kind's own name is its first arm. */
export function kindOf (mode: string): string {
  return /^(.+)#([2-9])$/.exec(mode)?.[1] ?? mode
}

/** The kind `mode` (or its arm) runs; undefined for a name the registry does not have (a document from another version). */
export function kindNamed (mode: string): ListenerKind | undefined {
  return LISTENER_KINDS.find(k => k.mode === kindOf(mode))
}

export function listenerKind (mode: string): ListenerKind {
  const kind = kindNamed(mode)
  if (kind === undefined) throw new UsageError(`unknown mode '${mode}'; known modes: ${MODES.join(', ')}`)
  return kind
}

/** The socket option `mode` uses on an OS with these capabilities, with listeners on Node `node`, its kernel features tried by `kernel` (UsageError RB_UNSUPPORTED where it cannot run). */
export function reuseChoice (mode: string, caps: Capabilities, node: string, kernel: KernelCheck): ReuseChoice {
  return listenerKind(mode).choose(caps, node, kernel)
}

/** The baseline kind's mode: the one the others are compared with. */
export function baselineMode (): string {
  const kind = LISTENER_KINDS.find(k => k.baseline === true)
  if (kind === undefined) throw new Error('no listener kind is the baseline')
  return kind.mode
}

/** Whether `mode`'s listeners form one SO_REUSEPORT group (steering and tcp_migrate_req apply). */
export function isReuseportGroup (mode: string): boolean {
  return LISTENER_KINDS.some(k => k.mode === kindOf(mode) && k.reuseportGroup)
}

/** Whether a steering program can be attached to `mode`'s group (--steer). */
export function isSteerable (mode: string): boolean {
  return LISTENER_KINDS.some(k => k.mode === kindOf(mode) && k.steerable === true)
}

/** "4 listener processes", "2 listener threads": `n` listeners of `mode`, as its kind calls them. */
export function membersText (mode: string, n: number): string {
  const one = kindNamed(mode)?.member ?? 'listener process'
  return `${n} ${one}${n === 1 ? '' : one.endsWith('s') ? 'es' : 's'}`
}

/** The modes a plan compares when it names none. */
export const DEFAULT_MODES: readonly string[] = LISTENER_KINDS.filter(k => k.byDefault === true).map(k => k.mode)

/** The mode serve starts when it is given none: the registry's first. */
export const DEFAULT_SERVE_MODE: string = MODES[0] ?? ''

/** The modes that can serve UDP (--protocol udp). */
export const DATAGRAM_MODES: readonly string[] = LISTENER_KINDS.filter(k => k.datagrams === true).map(k => k.mode)

/** The modes whose UDP listeners can connect a socket of their own to each flow (--udp-connect). */
export const CONNECTING_MODES: readonly string[] = LISTENER_KINDS.filter(k => k.connectsFlows === true).map(k => k.mode)

/** The modes --steer applies to. */
export const STEERABLE_MODES: readonly string[] = LISTENER_KINDS.filter(k => k.steerable === true).map(k => k.mode)

