/**
 * Whether this host lets a run use eBPF steering, asked once before any cell
 * starts: the maps and a program are made and closed again, as a listener
 * would make them. The answer is a reason a reader can act on, or undefined.
 */
import { bpfFdById, bpfInfo, bpfMapCreate, bpfProgLoad, closeSocket } from '../../native/index.js'
import { errnoCode, messageOf } from '../../errors.js'
import { BPF, loadBytes } from './layout.js'
import { hashBody, assembleProgram } from './programs.js'

const PRIVILEGE = 'needs root (CAP_BPF and CAP_NET_ADMIN to load it, CAP_SYS_ADMIN for the listeners to share its maps)'

/** A reason from the call that failed. */
function why (step: string, err: unknown): string {
  const code = errnoCode(err)
  if (code === 'EPERM' || code === 'EACCES') return `eBPF steering ${PRIVILEGE}: ${step} was refused (${code})`
  if (code === 'ENOSYS') return 'eBPF steering needs Linux (the bpf system call)'
  if (code === 'EINVAL' && step === 'a REUSEPORT_SOCKARRAY map') return 'eBPF steering needs Linux 4.19+ (BPF_MAP_TYPE_REUSEPORT_SOCKARRAY)'
  if (code === 'EINVAL' && step === 'an mmap-able array map') return 'eBPF steering needs Linux 5.5+ (BPF_F_MMAPABLE arrays, which the listeners write their load into)'
  return `eBPF steering: ${step} failed: ${messageOf(err)}`
}

/** Why eBPF steering cannot run here; undefined when it can. */
export function ebpfSteeringProblem (): string | undefined {
  const fds: number[] = []
  const step = (what: string, f: () => number): number => {
    try {
      const fd = f()
      fds.push(fd)
      return fd
    } catch (err) {
      throw new Error(why(what, err), { cause: err })
    }
  }
  try {
    const socks = step('a REUSEPORT_SOCKARRAY map', () => bpfMapCreate({ type: BPF.mapReuseportSockarray, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, name: 'rb_probe' }))
    const load = step('an mmap-able array map', () => bpfMapCreate({ type: BPF.mapArray, keySize: 4, valueSize: loadBytes(1), maxEntries: 1, flags: BPF.fMmapable, name: 'rb_probe' }))
    step('opening a map by its id', () => bpfFdById('map', bpfInfo('map', load).id))
    step('loading an SK_REUSEPORT program', () => bpfProgLoad(BPF.progSkReuseport, assembleProgram(hashBody, { sockarrayFd: socks, loadFd: load, groupSize: 1 }), 'rb_probe'))
    return undefined
  } catch (err) {
    return messageOf(err)
  } finally {
    for (const fd of fds) closeSocket(fd)
  }
}
