/**
 * The only module that loads the C++ addon (a local build in build/Release, or a
 * prebuild from prebuilds/, as addon.cjs finds it).
 * Everything else calls these typed functions.
 */
import { createRequire } from 'node:module'
import { isIP } from 'node:net'
import { HarnessError } from '../errors.js'
import type { AcceptQueue, BpfKind, BpfObjectInfo, Capabilities, ListenQueue, LocalAddress, OpenOptions, SocketOptionName, Steering } from '../types/native.js'

interface Addon {
  open(o: OpenOptions & { family: 4 | 6, backlog: number }): number
  listen(fd: number, backlog: number): void
  getOption(fd: number, name: string): number
  localAddress(fd: number): LocalAddress
  close(fd: number): void
  capabilities(): Capabilities
  attachReuseportCbpf(fd: number, kind: string, arg: number): void
  detachReuseportBpf(fd: number): void
  dieWithParent(): boolean
  setAffinity(pid: number, cpus: number[]): number
  getAffinity(pid: number): number[]
  pinThread(cpus: number[]): void
  listenQueues(port: number): ListenQueue[]
  setBlocking(fd: number, on: boolean): void
  acceptWaiter(fd: number): number
  acceptOnce(fd: number, epfd: number): Promise<void>
  connectLoopback(port: number): number
  bpfMapCreate(type: number, keySize: number, valueSize: number, maxEntries: number, flags: number, name: string): number
  bpfProgLoad(type: number, insns: Buffer, name: string): number
  bpfMapUpdate(fd: number, key: number, value: number): void
  bpfMapMmap(fd: number, bytes: number): ArrayBuffer
  bpfMapUnmap(buffer: ArrayBuffer): void
  bpfInfo(kind: BpfKind, fd: number): BpfObjectInfo
  bpfFdById(kind: BpfKind, id: number): number
  bpfList(kind: BpfKind): BpfObjectInfo[]
  attachReuseportEbpf(sockFd: number, progFd: number): void
  acceptQueue(fd: number): AcceptQueue
}

let addon: Addon | undefined
let origin = 'not loaded'

interface Located { addon?: unknown, origin?: string, missing?: string }

function load (): Addon {
  if (addon !== undefined) return addon
  // The one search for the addon, shared with the package's install step (addon.cjs: node-gyp-build's
  // own, a local build first, then a prebuild that fits this CPU and C library).
  const require = createRequire(import.meta.url)
  const { loadAddon } = require('../../../src/native/addon.cjs') as { loadAddon: () => Located }
  const found = loadAddon()
  if (found.missing !== undefined || found.addon === undefined) throw new HarnessError('RB_ADDON_MISSING', found.missing ?? 'native addon not found', 1)
  addon = found.addon as Addon
  origin = found.origin ?? 'unknown'
  return addon
}

/** Which addon this process runs: 'built here' or 'prebuild linux-arm64' (loading it if not yet loaded). */
export function addonOrigin (): string {
  load()
  return origin
}

/**
 * Creates a TCP socket, sets the requested options, binds and (if `backlog` is
 * given) listens. Returns the fd. Throws an Error whose `code` is the errno
 * name; the fd is closed on every error path (in C++).
 */
export function openSocket (o: OpenOptions): number {
  const family = isIP(o.host)
  if (family !== 4 && family !== 6) throw new TypeError(`host must be an IPv4 or IPv6 address, got '${o.host}'`)
  return load().open({ ...o, family, backlog: o.backlog ?? -1 })
}

/** listen() on a socket opened without a backlog. */
export function listenSocket (fd: number, backlog: number): void {
  load().listen(fd, backlog)
}

/** getsockopt() for an integer option. */
export function getOption (fd: number, name: SocketOptionName): number {
  return load().getOption(fd, name)
}

/** getsockname() */
export function localAddress (fd: number): LocalAddress {
  return load().localAddress(fd)
}

export function closeSocket (fd: number): void {
  load().close(fd)
}

export function capabilities (): Capabilities {
  return load().capabilities()
}

/** Attaches a steering program to `fd`'s SO_REUSEPORT group (SO_ATTACH_REUSEPORT_CBPF, Linux 4.6+). */
export function attachSteering (fd: number, s: Exclude<Steering, { kind: 'ebpf' }>): void {
  load().attachReuseportCbpf(fd, s.kind, s.kind === 'cpu' ? s.groupSize : s.index)
}

/** Removes the group's steering program (SO_DETACH_REUSEPORT_BPF, Linux 5.8+). */
export function detachSteering (fd: number): void {
  load().detachReuseportBpf(fd)
}

/**
 * Asks the OS to SIGKILL this process when its parent exits (Linux
 * PR_SET_PDEATHSIG, FreeBSD PROC_PDEATHSIG_CTL), so a child that is stopped or
 * blocked cannot outlive the orchestrator. Returns false where the OS has no
 * such setting. (A parent gone before this call closed the IPC channel, which
 * the children also watch.)
 */
export function dieWithParent (): boolean {
  const parent = process.ppid
  const set = load().dieWithParent()
  if (process.ppid !== parent) process.exit(0) // the parent went away before the setting took
  return set
}

/**
 * Pins every thread of process `pid` (0 = this process) to `cpus`; threads
 * it starts later inherit the set. Returns how many threads were pinned.
 * Linux only (capabilities().cpuAffinity); elsewhere an Error with code ENOSYS.
 */
export function pinProcess (pid: number, cpus: readonly number[]): number {
  return load().setAffinity(pid, [...cpus])
}

/** The CPUs process `pid` (0 = this thread) may run on. */
export function allowedCpus (pid = 0): number[] {
  return load().getAffinity(pid)
}

/**
 * Every TCP socket listening on `port` in this network namespace, as the
 * kernel reports it (sock_diag): accept-queue length, backlog limit, drops.
 * Linux only; elsewhere an Error with code ENOSYS.
 */
export function listenQueues (port: number): ListenQueue[] {
  return load().listenQueues(port)
}

/** Pins the calling thread alone (a worker thread onto its own CPUs). Linux only; elsewhere ENOSYS. */
export function pinThread (cpus: readonly number[]): void {
  load().pinThread([...cpus])
}

/** Clears (true) or sets (false) O_NONBLOCK on a socket; every process holding it shares the setting. */
export function setBlocking (fd: number, on: boolean): void {
  load().setBlocking(fd, on)
}

/** An epoll set holding `fd` with EPOLLIN | EPOLLEXCLUSIVE (Linux 4.5+); its fd. Elsewhere an Error with code ENOSYS. */
export function acceptWaiter (fd: number): number {
  return load().acceptWaiter(fd)
}

/**
 * Resolves once a connection was accepted on `fd` (and closed at once), waiting on libuv's thread pool in a
 * blocking accept() (`epfd` -1; the socket must be blocking) or in epoll_wait() on `epfd` (acceptWaiter; the
 * socket must be non-blocking). Cloudflare's 2017 accept experiment, for the probe.
 */
export function acceptOnce (fd: number, epfd = -1): Promise<void> {
  return load().acceptOnce(fd, epfd)
}

/** A blocking connect() from this thread to 127.0.0.1:`port`; the connected fd (close it with closeSocket). The handshake completes inside the call, on this thread's CPU. */
export function connectLoopback (port: number): number {
  return load().connectLoopback(port)
}

/** bpf(BPF_MAP_CREATE): a map's fd. Linux only; elsewhere ENOSYS. Errors carry the errno name (EPERM without CAP_BPF). */
export function bpfMapCreate (m: { type: number, keySize: number, valueSize: number, maxEntries: number, flags: number, name: string }): number {
  return load().bpfMapCreate(m.type, m.keySize, m.valueSize, m.maxEntries, m.flags, m.name)
}

/** bpf(BPF_PROG_LOAD) of assembled instructions (8 bytes each, GPL); a refusal's error has the verifier's last lines as `verifierLog`. */
export function bpfProgLoad (type: number, insns: Buffer, name: string): number {
  return load().bpfProgLoad(type, insns, name)
}

/** bpf(BPF_MAP_UPDATE_ELEM) with a u32 key and a u64 value (for a REUSEPORT_SOCKARRAY: a listening socket's fd). */
export function bpfMapUpdate (fd: number, key: number, value: number): void {
  load().bpfMapUpdate(fd, key, value)
}

/** The values of a BPF_F_MMAPABLE array map as memory this process reads and writes (unmapped when collected). */
export function bpfMapMmap (fd: number, bytes: number): ArrayBuffer {
  return load().bpfMapMmap(fd, bytes)
}

/** Unmaps memory from bpfMapMmap now: the buffer is detached (its views read as empty), the map no longer held by it. */
export function bpfMapUnmap (buffer: ArrayBuffer): void {
  load().bpfMapUnmap(buffer)
}

/** bpf(BPF_OBJ_GET_INFO_BY_FD): a program's or map's id, type and name (a program's run count with kernel.bpf_stats_enabled). */
export function bpfInfo (kind: BpfKind, fd: number): BpfObjectInfo {
  return load().bpfInfo(kind, fd)
}

/** A new fd for the program or map with this id (bpf GET_FD_BY_ID: CAP_SYS_ADMIN). */
export function bpfFdById (kind: BpfKind, id: number): number {
  return load().bpfFdById(kind, id)
}

/** Every program or map the kernel holds, as `bpftool prog list` / `map list` shows them (CAP_SYS_ADMIN). */
export function bpfList (kind: BpfKind): BpfObjectInfo[] {
  return load().bpfList(kind)
}

/** Attaches an SK_REUSEPORT program to `sockFd`'s SO_REUSEPORT group (SO_ATTACH_REUSEPORT_EBPF, Linux 4.19+ for TCP). */
export function attachReuseportEbpf (sockFd: number, progFd: number): void {
  load().attachReuseportEbpf(sockFd, progFd)
}

/** The accept queue of one listening TCP socket this process holds (TCP_INFO). Linux only; elsewhere ENOSYS. */
export function acceptQueue (fd: number): AcceptQueue {
  return load().acceptQueue(fd)
}
