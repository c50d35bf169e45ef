/**
 * What a cell's record says of its steering, from the listeners' snapshots:
 * the eBPF program's final state (the latest read of the shared map, the
 * writes every process made), and the stalled listener's share of the new
 * connections during its stalls, pooled over stalls (a ratio estimator: its
 * interval treats each stall as one draw, since connections within a stall
 * are not independent).
 */
import { disassemble } from '../kernel/bpf/asm.js'
import { assembleProgram } from '../kernel/bpf/programs.js'
import { steerPolicy } from '../topology/steer/policies.js'
import { tQuantile975 } from './laws.js'
import type { ListenerSnapshot, StallWindow } from '../types/listener.js'
import type { SteeringState } from '../types/native.js'
import type { StallShare, SteeringRecord } from '../types/run.js'

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

/** The program's length for a policy and group size (the fds in it do not change its length). */
export function programLength (state: Pick<SteeringState, 'policy' | 'slots'>): number {
  const body = steerPolicy(state.policy).body
  return body === undefined ? 0 : assembleProgram(body, { sockarrayFd: 0, loadFd: 0, groupSize: Math.max(1, state.slots.length) }).length / 8
}

/**
 * The program's record from every snapshot of the cell (the processes a restart replaced included):
 * the map as last read (the most runs), the writes summed, the dump from the creator when it sent one.
 */
export function steeringRecord (snapshots: readonly ListenerSnapshot[], durationSec: number): SteeringRecord | undefined {
  const states = snapshots.flatMap(s => s.stats.steering?.ebpf ?? [])
  const latest = states.reduce<SteeringState | undefined>((a, s) => (a === undefined || s.runs >= a.runs ? s : a), undefined)
  if (latest === undefined) return undefined
  const updates = states.reduce((a, s) => a + s.updates, 0)
  const insns = states.find(s => s.insns !== undefined)?.insns
  return {
    policy: latest.policy,
    slots: latest.slots,
    runs: latest.runs,
    fallbacks: latest.fallbacks,
    kernelRuns: latest.runCnt > 0 ? latest.runCnt : null,
    nsPerRun: latest.runCnt > 0 ? Math.round(latest.runTimeNs / latest.runCnt) : null,
    updates,
    updatesPerSec: durationSec > 0 ? Math.round(updates / durationSec) : 0,
    resyncs: states.reduce((a, s) => a + s.resyncs, 0),
    instructions: programLength(latest),
    ...(insns === undefined ? {} : { dump: disassemble(Buffer.from(insns, 'base64')) })
  }
}

/** Pooled share of stalls' new connections that queued on the stalled listener, with a 95% interval over stalls. */
export function stallShareOf (windows: readonly StallWindow[]): StallShare | undefined {
  const m = windows.length
  if (m === 0) return undefined
  const queued = windows.reduce((a, w) => a + w.queued, 0)
  const opened = windows.reduce((a, w) => a + w.opened, 0)
  if (opened === 0) return { share: 0, lo: null, hi: null, stalls: m, queued, opened }
  const share = Math.min(1, queued / opened)
  if (m < 2) return { share: round4(share), lo: null, hi: null, stalls: m, queued, opened }
  const meanOpened = opened / m
  const ss = windows.reduce((a, w) => a + (w.queued - share * w.opened) ** 2, 0)
  const half = tQuantile975(m - 1) * Math.sqrt(ss / (m * (m - 1))) / meanOpened
  return { share: round4(share), lo: round4(Math.max(0, share - half)), hi: round4(Math.min(1, share + half)), stalls: m, queued, opened }
}

/** Every stall window the cell's snapshots carry (the stalled listener and any process that replaced it). */
export function stallWindowsOf (snapshots: readonly ListenerSnapshot[]): StallWindow[] {
  return snapshots.flatMap(s => s.stats.stallWindows ?? [])
}
