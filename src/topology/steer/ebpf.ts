/**
 * A group's eBPF steering objects, as one listener holds them. Listener 0
 * creates them: the REUSEPORT_SOCKARRAY (socket i at key i), the load map
 * (mmap'd, layout.ts) and the program (programs.ts), attached to its socket's
 * group; it answers their ids in its ready message. Every other listener, and
 * every replacement, opens the two maps by id, puts its socket at its index
 * and claims its slot. Nothing outlives the processes: each holds fds only,
 * nothing is pinned, so the kernel frees the program and the maps once the
 * group's sockets and these fds are gone (a crash or a SIGKILL included).
 */
import { acceptQueue, attachReuseportEbpf, bpfFdById, bpfInfo, bpfList, bpfMapCreate, bpfMapMmap, bpfMapUnmap, bpfMapUpdate, bpfProgLoad, closeSocket } from '../../native/index.js'
import { assembleProgram } from '../../kernel/bpf/programs.js'
import { BPF, loadBytes } from '../../kernel/bpf/layout.js'
import { LoadSlot, RESYNC_MS } from './loadSlot.js'
import { steerPolicy } from './policies.js'
import type { BpfObjectInfo, EbpfPolicy, Steering, SteeringIds, SteeringState } from '../../types/native.js'

type EbpfSteering = Extract<Steering, { kind: 'ebpf' }>

/** The names the kernel shows for them (bpftool, bpfList): how a leak check finds ours. */
export const OBJECT_NAMES = { prog: 'rb_steer', sockarray: 'rb_socks', load: 'rb_load' } as const

/** Closes every fd in `fds`, ignoring failures (a cleanup path). */
function closeAll (fds: readonly number[]): void {
  for (const fd of fds) {
    try { closeSocket(fd) } catch { /* already closed */ }
  }
}

/** Creates the maps and the program for a group of `n` with `policy` and attaches it to `sockFd`'s group. */
function create (policy: EbpfPolicy, n: number, sockFd: number): { sockarrayFd: number, loadFd: number, progFd: number, insns: Buffer } {
  const fds: number[] = []
  try {
    const sockarrayFd = bpfMapCreate({ type: BPF.mapReuseportSockarray, keySize: 4, valueSize: 8, maxEntries: n, flags: 0, name: OBJECT_NAMES.sockarray })
    fds.push(sockarrayFd)
    const loadFd = bpfMapCreate({ type: BPF.mapArray, keySize: 4, valueSize: loadBytes(n), maxEntries: 1, flags: BPF.fMmapable, name: OBJECT_NAMES.load })
    fds.push(loadFd)
    const body = steerPolicy(policy).body
    if (body === undefined) throw new Error(`${policy} is not an eBPF policy`)
    const insns = assembleProgram(body, { sockarrayFd, loadFd, groupSize: n })
    const progFd = bpfProgLoad(BPF.progSkReuseport, insns, OBJECT_NAMES.prog)
    fds.push(progFd)
    attachReuseportEbpf(sockFd, progFd)
    return { sockarrayFd, loadFd, progFd, insns }
  } catch (err) {
    closeAll(fds)
    throw err
  }
}

/** One listener's hold on its group's steering: its socket in the array, its slot in the load map. */
export class EbpfGroupSteering {
  private readonly memory: ArrayBuffer
  private readonly slot: LoadSlot
  private readonly timer: NodeJS.Timeout
  private closed = false

  private constructor (
    private readonly s: EbpfSteering,
    readonly ids: SteeringIds,
    private readonly fds: { sockarray: number, load: number, prog: number },
    private readonly sockFd: number,
    index: number,
    private readonly insns: Buffer | undefined
  ) {
    this.memory = bpfMapMmap(fds.load, loadBytes(s.groupSize))
    this.slot = new LoadSlot(this.memory, s.groupSize, index, process.pid)
    this.slot.claim(acceptQueue(sockFd).queued)
    bpfMapUpdate(fds.sockarray, index, sockFd)
    this.timer = setInterval(() => this.resync(), RESYNC_MS)
    this.timer.unref()
  }

  /** Listener `index` on `sockFd` creates the group's objects (no `join`) or joins them. */
  static open (s: EbpfSteering, sockFd: number, index: number): EbpfGroupSteering {
    if (s.join === undefined) {
      const made = create(s.policy, s.groupSize, sockFd)
      const fds = { sockarray: made.sockarrayFd, load: made.loadFd, prog: made.progFd }
      try {
        const ids = { sockarray: bpfInfo('map', fds.sockarray).id, load: bpfInfo('map', fds.load).id, prog: bpfInfo('prog', fds.prog).id }
        return new EbpfGroupSteering(s, ids, fds, sockFd, index, s.dump === true ? made.insns : undefined)
      } catch (err) {
        closeAll([fds.sockarray, fds.load, fds.prog])
        throw err
      }
    }
    const opened: number[] = []
    try {
      const sockarray = bpfFdById('map', s.join.sockarray)
      opened.push(sockarray)
      const load = bpfFdById('map', s.join.load)
      opened.push(load)
      const prog = bpfFdById('prog', s.join.prog)
      opened.push(prog)
      return new EbpfGroupSteering(s, s.join, { sockarray, load, prog }, sockFd, index, undefined)
    } catch (err) {
      closeAll(opened)
      throw err
    }
  }

  private resync (): void {
    try {
      this.slot.resync(acceptQueue(this.sockFd).queued)
    } catch { /* the socket is closing */ }
  }

  accepted (): void { this.slot.accepted() }

  resetCounts (): void { this.slot.resetCounts() }

  connectionClosed (): void { this.slot.closed() }

  /** The program's state now, as this listener reads it. */
  state (): SteeringState {
    const { slots, runs, fallbacks } = this.slot.read()
    let runCnt = 0
    let runTimeNs = 0
    try {
      const p = bpfInfo('prog', this.fds.prog)
      runCnt = p.runCnt ?? 0
      runTimeNs = p.runTimeNs ?? 0
    } catch { /* closed */ }
    return {
      policy: this.s.policy,
      ids: this.ids,
      slots,
      runs,
      fallbacks,
      runCnt,
      runTimeNs,
      updates: this.slot.updates,
      resyncs: this.slot.resyncs,
      ...(this.insns === undefined ? {} : { insns: this.insns.toString('base64') })
    }
  }

  /** Stops the resync, unmaps the load map and closes this listener's fds on the objects; later events write nothing. */
  close (): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    bpfMapUnmap(this.memory)
    closeAll([this.fds.sockarray, this.fds.load, this.fds.prog])
  }
}

/** The kernel's programs and maps named as ours (a leak check, as `bpftool prog list` would be read): none once every run is over. */
export function steeringObjectsLeft (): { progs: BpfObjectInfo[], maps: BpfObjectInfo[] } {
  const ours = new Set<string>([...Object.values(OBJECT_NAMES), 'rb_probe'])
  return { progs: bpfList('prog').filter(p => ours.has(p.name)), maps: bpfList('map').filter(m => ours.has(m.name)) }
}
