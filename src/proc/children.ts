/**
 * Every child process the harness starts goes through here, so that any end
 * of the orchestrator (normal, error, signal, deadline) ends them too: they
 * are SIGKILLed when this process exits, and `killAll` does it at once. The
 * children themselves call `managedChild` (workers side), which makes the OS
 * kill them when their parent dies even if they are stopped or blocked.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import type { Peer } from '../types/peer.js'
import { dieWithParent } from '../native/index.js'
import { holdTickShape } from './tickShape.js'

const live = new Set<ChildProcess>()
const tails = new WeakMap<Peer, string>()
/** A child's out-of-memory line, once seen on its stderr. */
const fatal = new WeakMap<Peer, string>()
const TAIL_CHARS = 2000

/** SIGKILLs every child still running. Safe to call from an exit handler. */
export function killAll (): void {
  for (const c of live) {
    try { c.kill('SIGKILL') } catch {}
  }
}
process.on('exit', killAll)

/** Number of children still running. */
export function liveChildren (): number {
  return live.size
}

/** Registers `child` (and keeps the end of its stderr, when piped, for error messages). */
export function track (child: ChildProcess): ChildProcess {
  if (child.exitCode !== null || child.signalCode !== null) return child
  live.add(child)
  child.once('exit', () => live.delete(child))
  child.once('error', () => live.delete(child))
  tails.set(child, '')
  child.stderr?.on('data', (d: Buffer) => {
    const tail = (tails.get(child) ?? '') + d.toString()
    // V8's out-of-memory line comes before a native stack that can be longer than the tail kept: keep it apart.
    const oom = /FATAL ERROR:[^\n]*(out of memory|heap limit)[^\n]*/i.exec(tail)
    if (oom !== null && !fatal.has(child)) fatal.set(child, oom[0].trim())
    tails.set(child, tail.slice(-TAIL_CHARS))
  })
  return child
}

/**
 * The signal that asked this process to stop (set by the CLI's first SIGINT, SIGTERM or SIGHUP), if one has.
 * A signal to a process group reaches a child that is still starting (before it ignores such signals) as
 * well as this process: that child's death is then part of the stop, not a failure (judgeGroupSignal).
 */
let stopSignal: NodeJS.Signals | undefined
export function stopRequested (sig: NodeJS.Signals): void {
  stopSignal ??= sig
}

/** Signals a terminal or a process manager sends to a whole group. */
export const GROUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** How long a child's death by a group signal waits for this process's own handling of the same signal. */
export const SIGNAL_SETTLE_MS = 200

/**
 * A child ended with `signal`: when it is a group signal, `then` hears, SIGNAL_SETTLE_MS later, the signal that
 * asked this process to stop (the death was part of that stop) or undefined (a death like any other), and true is
 * returned; for any other end, false, and `then` is not called.
 */
export function judgeGroupSignal (signal: string | null, then: (stop: NodeJS.Signals | undefined) => void): boolean {
  if (signal === null || !(GROUP_SIGNALS as readonly string[]).includes(signal)) return false
  setTimeout(() => then(stopSignal), SIGNAL_SETTLE_MS)
  return true
}

/** Spawns and tracks a child (see `track`). */
export function spawnTracked (command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return track(spawn(command, args, options))
}

/**
 * What the child said last on stderr (when piped), as one line: the last
 * `...Error: ...` line of a Node crash rather than its stack frames and
 * version banner; '' when it said nothing.
 */
export function lastStderrLine (child: Peer): string {
  const noise = /^(at .*|Node\.js v\d.*|\^+|[{}[\]]|\w+: .*[,{]|throw \w+;?)$/
  // V8 ends a process out of memory with SIGABRT and a native stack after the line that says so: name it.
  const oom = fatal.get(child)
  if (oom !== undefined) return `out of memory (${oom})`
  const lines = (tails.get(child) ?? '').split('\n').map(l => l.trim()).filter(l => l !== '' && !noise.test(l))
  return [...lines].reverse().find(l => /^\w*Error\b/.test(l)) ?? lines.pop() ?? ''
}

/** Records what a peer that has no stderr of its own (a worker thread) said last, for `lastStderrLine`. */
export function noteLastWords (peer: Peer, line: string): void {
  tails.set(peer, line)
}

/** True once the child has exited. */
export function hasExited (child: Peer): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

/** Resolves when `child` has exited; SIGKILLs it after `graceMs` if it has not. */
export function reap (child: Peer, graceMs = 0): Promise<void> {
  if (hasExited(child)) return Promise.resolve()
  return new Promise(resolve => {
    const t = setTimeout(() => { try { child.kill('SIGKILL') } catch {} }, graceMs)
    child.once('exit', () => { clearTimeout(t); resolve() })
  })
}

/**
 * For a worker process (listener, cluster primary, load generator, probe
 * agent, child run): the orchestrator decides when it ends. Terminal and
 * process-group signals are ignored (the orchestrator gets them too and stops
 * its children over IPC), it exits when the IPC channel closes, and the OS
 * SIGKILLs it when its parent dies, even if it is stopped or busy. Its
 * next-tick cost is held steady first (tickShape.ts).
 */
export function managedChild (name: string): void {
  holdTickShape()
  if (typeof process.send !== 'function') {
    process.stderr.write(`${name}: started without an IPC channel; it is run by reuseport-bench\n`)
    process.exit(2)
  }
  for (const sig of GROUP_SIGNALS) process.on(sig, () => {})
  process.on('disconnect', () => process.exit(0))
  try {
    dieWithParent()
  } catch {
    // the IPC channel still ends it when the parent goes
  }
}
