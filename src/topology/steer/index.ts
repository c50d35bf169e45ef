/**
 * What a listener holds of its group's steering program, whichever kind: a
 * classic BPF program the addon builds and attaches (listener 0 only), or the
 * eBPF objects every listener of the group shares (ebpf.ts). The listener
 * tells it about connections, asks for its state, and detaches it when the
 * kind says so.
 */
import { errnoCode } from '../../errors.js'
import { attachSteering, detachSteering } from '../../native/index.js'
import { EbpfGroupSteering } from './ebpf.js'
import type { Steering, SteeringIds, SteeringState } from '../../types/native.js'

export interface GroupSteering {
  /** The ids the other listeners join by (the creator of eBPF objects). */
  readonly ids?: SteeringIds
  /** Whether its listener detaches it on a drain (a restart), and on the final stop. */
  readonly detachOnDrain: boolean
  readonly detachOnStop: boolean
  /** A connection was accepted; one closed. */
  accepted: () => void
  connectionClosed: () => void
  /** Counts this listener's writes from now on (the measured load starts). */
  resetCounts: () => void
  /** The program's state (eBPF only). */
  state: () => SteeringState | undefined
  /** Detaches the program from the group: 'ok' or the errno's name. */
  detach: () => string
  /** Lets go of what it holds. */
  close: () => void
}

/** Detaches the group's program through `sockFd` (SO_DETACH_REUSEPORT_BPF): 'ok' or the errno's name. */
function detachFrom (sockFd: number): string {
  try {
    detachSteering(sockFd)
    return 'ok'
  } catch (err) {
    return errnoCode(err) ?? 'error'
  }
}

/** A classic BPF program on listener 0's socket: attached now, detached by it when it stops or drains. */
function classic (s: Exclude<Steering, { kind: 'ebpf' }>, sockFd: number): GroupSteering {
  attachSteering(sockFd, s)
  return {
    detachOnDrain: true,
    detachOnStop: true,
    accepted: () => {},
    connectionClosed: () => {},
    resetCounts: () => {},
    state: () => undefined,
    detach: () => detachFrom(sockFd),
    close: () => {}
  }
}

/**
 * Listener `index`'s steering on its socket `sockFd`. An eBPF program stays attached through a
 * restart (the group keeps it); listener 0, whichever process it is by then, detaches it at the end.
 */
export function openSteering (s: Steering, sockFd: number, index: number): GroupSteering {
  if (s.kind !== 'ebpf') return classic(s, sockFd)
  const e = EbpfGroupSteering.open(s, sockFd, index)
  return {
    ids: e.ids,
    detachOnDrain: false,
    detachOnStop: index === 0,
    accepted: () => e.accepted(),
    connectionClosed: () => e.connectionClosed(),
    resetCounts: () => e.resetCounts(),
    state: () => e.state(),
    detach: () => detachFrom(sockFd),
    close: () => e.close()
  }
}
