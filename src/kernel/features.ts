/**
 * The kernel features a run depends on, each found by trying it once in this process at run time (never
 * from the release number), kept for the process's life and recorded in every result and probe. A mode,
 * scenario, steering policy or sampler that needs a missing one is refused or skipped with `needsLine`:
 * "tcp_migrate_req needs Linux 5.14+; this kernel is 5.10.0-32-amd64 (with the sysctl set to 1 in a
 * namespace of our own, closing a listener moved 0 of 8 queued connections ...)".
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { errnoCode, messageOf } from '../errors.js'
import { acceptQueue, acceptWaiter, allowedCpus, attachSteering, capabilities, closeSocket, connectLoopback, detachSteering, listenQueues, localAddress, openSocket, pinThread } from '../native/index.js'
import { netnsUnavailable } from '../proc/netns.js'
import { ebpfSteeringProblem } from './bpf/probe.js'
import type { KernelFeature, KernelFeatureId } from '../types/features.js'
import { userModeEmulation } from './emulation.js'

type Finding = Pick<KernelFeature, 'found' | 'detail'>
interface Probe { id: KernelFeatureId, what: string, firstLinux: string, probe: () => Finding }

/** Runs `f` with the listening sockets it opens (on one loopback port) closed afterwards, whatever happens. */
function withSockets<T> (f: (open: (o?: { incomingCpu?: number, port?: number }) => number) => T): T {
  const fds: number[] = []
  try {
    return f(o => {
      const fd = openSocket({ host: '127.0.0.1', port: o?.port ?? 0, reuseport: true, incomingCpu: o?.incomingCpu, backlog: 64 })
      fds.push(fd)
      return fd
    })
  } finally {
    for (const fd of fds) closeSocket(fd)
  }
}

const CONNECTIONS = 16

/**
 * Two sockets of one group, one preferring this thread's CPU: on a kernel whose reuseport selection
 * honours SO_INCOMING_CPU, every connection made from this CPU waits in that one; on one that ignores it,
 * the hash splits them (all 16 in one socket by chance: 1 in 65,536).
 */
function incomingCpuSelection (): Finding {
  if (capabilities().SO_INCOMING_CPU !== true || capabilities().cpuAffinity !== true) return { found: null, detail: 'no SO_INCOMING_CPU or CPU pinning on this OS' }
  const cpus = allowedCpus(0)
  const me = cpus[0] ?? 0
  pinThread([me])
  const conns: number[] = []
  try {
    return withSockets(open => {
      const mine = open({ incomingCpu: me })
      const port = localAddress(mine).port
      const other = open({ incomingCpu: me + 1, port })
      for (let i = 0; i < CONNECTIONS; i++) conns.push(connectLoopback(port))
      const [a, b] = [acceptQueue(mine).queued, acceptQueue(other).queued]
      return { found: a === CONNECTIONS, detail: `${CONNECTIONS} connections from CPU ${me}: ${a} waited in the socket preferring it, ${b} in the other` }
    })
  } finally {
    for (const fd of conns) closeSocket(fd)
    pinThread(cpus)
  }
}

const MIGRATE_PROBE = fileURLToPath(new URL('../../workers/migrate-probe.js', import.meta.url))

/**
 * Whether closing a listener moves its queue to another socket of the group. The sysctl alone does not
 * say (Debian's 5.10 has it and moves nothing), so it is tried in a network namespace of our own with the
 * sysctl set there (never on the host): 8 connections queued at A, A closed, B's queue read.
 */
function migrateReq (): Finding {
  if (!existsSync('/proc/sys/net/ipv4/tcp_migrate_req')) return { found: false, detail: 'no /proc/sys/net/ipv4/tcp_migrate_req' }
  const why = netnsUnavailable()
  if (why !== undefined) return { found: null, detail: `the sysctl exists; whether it moves connections needs a namespace of our own: ${why}` }
  const r = spawnSync('unshare', ['--net', '--', process.execPath, MIGRATE_PROBE], { encoding: 'utf8', timeout: 60_000 })
  const m = /\{"connections":(\d+),"moved":(\d+)\}/.exec(r.stdout ?? '')
  if (r.status !== 0 || m === null) return { found: null, detail: `the sysctl exists; the try in a namespace of our own failed (${r.error?.message ?? (r.stderr ?? '').trim().split('\n').at(-1) ?? `exit ${String(r.status)}`})` }
  const [n, moved] = [Number(m[1]), Number(m[2])]
  return { found: moved === n, detail: `with the sysctl set to 1 in a namespace of our own, closing a listener moved ${moved} of ${n} queued connections to the other socket of its group` }
}

function epollExclusive (): Finding {
  return withSockets(open => {
    try {
      closeSocket(acceptWaiter(open()))
      return { found: true, detail: 'epoll_ctl(EPOLLEXCLUSIVE) on a listening socket succeeded' }
    } catch (err) {
      return { found: false, detail: `epoll_ctl(EPOLLEXCLUSIVE): ${errnoCode(err) ?? messageOf(err)}` }
    }
  })
}

function bpfDetach (): Finding {
  if (capabilities().SO_ATTACH_REUSEPORT_CBPF !== true) return { found: null, detail: 'no SO_ATTACH_REUSEPORT_CBPF on this OS' }
  return withSockets(open => {
    const fd = open()
    try {
      attachSteering(fd, { kind: 'index', index: 0 })
    } catch (err) {
      return { found: null, detail: `attaching a classic program failed first: ${errnoCode(err) ?? messageOf(err)}` }
    }
    try {
      detachSteering(fd)
      return { found: true, detail: 'SO_DETACH_REUSEPORT_BPF removed a classic program' }
    } catch (err) {
      return { found: false, detail: `SO_DETACH_REUSEPORT_BPF: ${errnoCode(err) ?? messageOf(err)}` }
    }
  })
}

function sockDiag (): Finding {
  if (process.platform !== 'linux') return { found: null, detail: 'sock_diag is Linux only' }
  return withSockets(open => {
    const port = localAddress(open()).port
    try {
      const seen = listenQueues(port).length
      return { found: seen === 1, detail: `inet_diag listed ${seen} of 1 listening socket on the port` }
    } catch (err) {
      return { found: false, detail: `inet_diag: ${errnoCode(err) ?? messageOf(err)}` }
    }
  })
}

/** The maps and a program eBPF steering makes (topology/steer/probe.ts), made and closed again. */
function ebpfReuseport (): Finding {
  const problem = ebpfSteeringProblem()
  if (problem === undefined) return { found: true, detail: 'a REUSEPORT_SOCKARRAY, an mmap-able array and an SK_REUSEPORT program were made' }
  return { found: /needs root/.test(problem) ? null : false, detail: problem }
}

const PROBES: readonly Probe[] = [
  { id: 'tcp_migrate_req', what: 'tcp_migrate_req', firstLinux: '5.14', probe: migrateReq },
  { id: 'incoming-cpu-selection', what: 'reuseport selection by SO_INCOMING_CPU', firstLinux: '6.2', probe: incomingCpuSelection },
  { id: 'ebpf-reuseport', what: 'eBPF reuseport steering (SK_REUSEPORT with REUSEPORT_SOCKARRAY and mmap-able maps)', firstLinux: '5.5', probe: ebpfReuseport },
  { id: 'epoll-exclusive', what: 'EPOLLEXCLUSIVE', firstLinux: '4.5', probe: epollExclusive },
  { id: 'reuseport-bpf-detach', what: 'SO_DETACH_REUSEPORT_BPF', firstLinux: '5.8', probe: bpfDetach },
  { id: 'sock-diag-listeners', what: 'sock_diag of listening sockets (inet_diag)', firstLinux: '2.6.14', probe: sockDiag }
]

const tried = new Map<KernelFeatureId, KernelFeature>()

function tryOne (p: Probe): KernelFeature {
  const known = tried.get(p.id)
  if (known !== undefined) return known
  let f: Finding
  try {
    f = process.platform === 'linux' ? p.probe() : { found: null, detail: 'not Linux' }
  } catch (err) {
    f = { found: null, detail: `the probe failed: ${messageOf(err)}` }
  }
  const feature = { id: p.id, what: p.what, firstLinux: p.firstLinux, ...f }
  tried.set(p.id, feature)
  return feature
}

/** Every feature, each tried once per process; a probe that throws is recorded as not decidable, with why. */
export function kernelFeatures (): KernelFeature[] {
  return PROBES.map(tryOne)
}

/** One feature's finding (tried on first use, alone). */
export function kernelFeature (id: KernelFeatureId): KernelFeature {
  const p = PROBES.find(x => x.id === id)
  if (p === undefined) throw new Error(`no probe for kernel feature ${id}`)
  return tryOne(p)
}

/** The one line that refuses or skips what needs a missing feature: "tcp_migrate_req needs Linux 5.14; this kernel is 5.10.0-32-amd64". */
export function needsLine (f: KernelFeature): string {
  const emulated = userModeEmulation()
  const gap = emulated === null ? '' : `; this process runs under ${emulated}, whose system calls may leave the feature out where the kernel has it`
  return `${f.what} needs Linux ${f.firstLinux}+; this kernel is ${os.release()} (${f.detail})${gap}`
}

/** The refusal line when the feature is missing or undecidable here; undefined when it was found. */
export function missingFeature (id: KernelFeatureId): string | undefined {
  const f = kernelFeature(id)
  return f.found === true ? undefined : needsLine(f)
}
