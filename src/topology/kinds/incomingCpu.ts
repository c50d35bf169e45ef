/**
 * SO_INCOMING_CPU: each listener is pinned to one CPU (in turn over the
 * listeners' CPUs) and its SO_REUSEPORT socket says that CPU, so the kernel
 * gives it the connections whose packets that CPU processed (honoured in
 * reuseport selection from Linux 6.2; earlier kernels ignore it, which is
 * tried on the running kernel before the mode starts). On loopback
 * the client's CPU processes the SYN, so where the client threads run decides
 * where connections go.
 */
import { UsageError } from '../../errors.js'
import type { ListenerKind } from './kind.js'
import { perListener } from './launch.js'

/** Listener `index`'s CPU: the listeners' CPUs in turn. */
export function cpuOfListener (index: number, cpus: readonly number[]): number {
  return cpus[index % cpus.length] ?? 0
}

export const incomingCpu: ListenerKind = {
  mode: 'incoming-cpu',
  description: 'one SO_REUSEPORT socket per process, each process pinned to a CPU and its socket set to SO_INCOMING_CPU = that CPU (Linux 6.2+): connections go to the listener on the CPU that received them',
  // Beyond Okabe-Ito's eight: Paul Tol's muted scheme, also distinct under the common deficiencies.
  color: '#661100',
  member: 'listener process',
  placesByCpu: true,
  reuseportGroup: true,
  steerable: true,
  choose: (caps, _node, kernel) => {
    if (caps.SO_INCOMING_CPU !== true || caps.cpuAffinity !== true) throw new UsageError('incoming-cpu needs SO_INCOMING_CPU and CPU pinning (Linux)', 'RB_UNSUPPORTED')
    // Tried on this kernel (kernel/features.ts), not read from its version: distributions backport.
    const missing = kernel('incoming-cpu-selection')
    if (missing !== undefined) throw new UsageError(`incoming-cpu: ${missing}`, 'RB_UNSUPPORTED')
    return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT + SO_INCOMING_CPU', note: '' }
  },
  launch: async s => {
    const { allowedCpus } = await import('../../native/index.js')
    const { host, backlog } = s.opts
    const cpus = s.opts.cpus ?? allowedCpus()
    return await perListener(s, (index, port) => ({ kind: 'own', host, port, reuseport: true, reuseportLb: false, backlog, incomingCpu: cpuOfListener(index, cpus) }))
  }
}
