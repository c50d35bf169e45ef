/**
 * The registry of steering policies (--steer): how new connections are placed
 * within a SO_REUSEPORT group. 'none' is the kernel's hash with no program;
 * 'cpu' and 'first' are classic BPF programs the addon builds; 'hash',
 * 'two-choices' and 'least-loaded' are eBPF programs assembled here
 * (programs.ts) that read the load map the listeners write. A new policy is
 * one entry here (and its body in programs.ts for an eBPF one).
 */
import { hashBody, leastLoadedBody, twoChoicesBody } from '../../kernel/bpf/programs.js'
import type { PolicyBody } from '../../kernel/bpf/programs.js'
import type { EbpfPolicy, Steering } from '../../types/native.js'
import type { SteerPolicy } from '../../types/plan.js'

export interface SteerPolicyInfo {
  readonly name: SteerPolicy
  /** What places the connections: nothing (the kernel's hash), a classic BPF program, or an eBPF one. */
  readonly program: 'none' | 'cbpf' | 'ebpf'
  readonly description: string
  /** An eBPF policy's choice of socket. */
  readonly body?: PolicyBody
}

export const STEER_POLICIES: readonly SteerPolicyInfo[] = [
  { name: 'none', program: 'none', description: 'the kernel hash, no program' },
  { name: 'cpu', program: 'cbpf', description: 'classic BPF: the socket of the receiving CPU (modulo the group size)' },
  { name: 'first', program: 'cbpf', description: 'classic BPF: every connection to the first socket' },
  { name: 'hash', program: 'ebpf', description: "eBPF: the kernel's own hash choice, made by the program (what the program costs)", body: hashBody },
  { name: 'two-choices', program: 'ebpf', description: 'eBPF: two sockets picked by the hash, the less loaded of them', body: twoChoicesBody },
  { name: 'least-loaded', program: 'ebpf', description: 'eBPF: the least loaded socket (queued + open connections), ties by the hash', body: leastLoadedBody }
]

export const STEER_NAMES: readonly string[] = STEER_POLICIES.map(p => p.name)

export function steerPolicy (name: string): SteerPolicyInfo {
  const p = STEER_POLICIES.find(x => x.name === name)
  if (p === undefined) throw new Error(`unknown steering policy '${name}'`)
  return p
}

/** Whether `name` is an eBPF policy. */
export function isEbpfPolicy (name: string): name is EbpfPolicy {
  return STEER_POLICIES.some(p => p.name === name && p.program === 'ebpf')
}

/** The program a group of `workers` gets for `policy`; undefined for the kernel's hash. */
export function steeringFor (policy: SteerPolicy, workers: number, dump = false): Steering | undefined {
  if (policy === 'none') return undefined
  if (policy === 'cpu') return { kind: 'cpu', groupSize: workers }
  if (policy === 'first') return { kind: 'index', index: 0 }
  return { kind: 'ebpf', policy, groupSize: workers, ...(dump ? { dump } : {}) }
}

/** "--steer" help: every policy with what it does. */
export function describePolicies (): string {
  return STEER_POLICIES.map(p => `${p.name} (${p.description})`).join('; ')
}
