/**
 * The host's pace, measured before a run: how long the listeners' Node takes
 * to start and exit here and now. A busy host or an emulated guest starts a
 * Node process many times slower than a quiet one, and every later phase
 * (listeners starting, warm-up ticks, slices, stats) slows with it, so the
 * phases' deadlines scale by this measurement (plan/deadlines.ts) instead of
 * asking the user to guess --deadline-scale. Deadlines only stop hangs: a
 * scale never changes what is measured.
 */
import { spawn } from 'node:child_process'
import type { NodeBinary } from '../types/plan.js'
import type { HostPace } from '../types/run.js'

/** A Node start on a quiet host (this project's 2-vCPU VM: 80 to 100 ms, the first 160 ms), with room: at or below it, deadlines are as usual. */
export const QUIET_START_MS = 150

/** The scale is at most this: past it, a host is too slow for any deadline to mean much, and --deadline-scale adds to it. */
export const MOST_PACE_SCALE = 50

/** Starts to time on a host that is not quiet; the median counts (one cold start is slower). */
const STARTS = 3

/** One start and exit of `node -e 0`, ms; a start that fails or takes over a minute counts as a minute. */
function timeOneStart (node: NodeBinary): Promise<number> {
  return new Promise(resolve => {
    const t0 = performance.now()
    const child = spawn(node.path, ['-e', '0'], { stdio: 'ignore' })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const done = (): void => { clearTimeout(timer); resolve(Math.min(60_000, performance.now() - t0)) }
    child.once('exit', done)
    child.once('error', done)
  })
}

/** The scale a Node start of `startMs` gives every deadline: 1 on a quiet host, start / QUIET_START_MS beyond, at most MOST_PACE_SCALE. */
export function paceScale (startMs: number): number {
  return Math.min(MOST_PACE_SCALE, Math.max(1, Math.round(startMs / QUIET_START_MS * 10) / 10))
}

/**
 * Times the listeners' Node starting here, and the scale it gives the deadlines. A first start at or
 * below QUIET_START_MS ends it (a quiet host: the deadlines as usual, and two more starts would cost
 * every run their CPU); a slower one is timed twice more and the median of the three counts.
 */
export async function measurePace (node: NodeBinary, timeStart: (node: NodeBinary) => Promise<number> = timeOneStart): Promise<HostPace> {
  const times = [await timeStart(node)]
  while ((times[0] ?? 0) > QUIET_START_MS && times.length < STARTS) times.push(await timeStart(node))
  const startMs = Math.round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0)
  return { nodeStartMs: startMs, scale: paceScale(startMs) }
}
