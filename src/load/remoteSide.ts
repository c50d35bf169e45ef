/**
 * `load --control stdio`: a client host's side of a run over several hosts.
 * Each load request carries its share of the connections and rate and a start
 * time by this host's clock (the orchestrator translated its own with the
 * offset it measured); the load waits for that time, runs here (the same
 * drivers and threads as a local run) and answers its result with when it
 * really began. Ticks go back as events. When stdin closes the process ends,
 * and with it any load under way.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { runLoadHere } from './here.js'
import { checkLoadRequest } from './requestCheck.js'
import { runControl, wallClockMs } from '../remote/control.js'
import type { ControlIo } from '../remote/control.js'
import type { LoadControlRequest, RemoteLoadDone } from '../types/remote.js'

/** A start time further ahead than this is refused (a clock far off, or a bad request). */
const MAX_WAIT_MS = 60_000

async function load (req: Extract<LoadControlRequest, { op: 'load' }>, emit: (e: unknown) => void): Promise<RemoteLoadDone> {
  const wait = req.startAtMs - wallClockMs()
  if (wait > MAX_WAIT_MS) throw new Error(`start time ${Math.round(wait)} ms ahead: over ${MAX_WAIT_MS} ms, the clocks disagree too much`)
  // A timer may fire up to a millisecond early against this clock: sleep to just short of the time, then wait it out.
  if (wait > 2) await sleep(wait - 2)
  while (wallClockMs() < req.startAtMs) { /* at most about 2 ms */ }
  const startedAtMs = wallClockMs()
  const result = await runLoadHere({ spec: req.spec, sourceAddresses: req.sourceAddresses }, emit)
  return { result, startedAtMs, lateMs: startedAtMs - req.startAtMs }
}

/** Serves the client side on `io` until its input closes. */
export async function loadControl (io?: ControlIo): Promise<void> {
  await runControl<LoadControlRequest>({
    role: 'load',
    check: checkLoadRequest,
    handle: async (req, emit) => {
      if (req.op !== 'load') throw new Error(`the load side does not take '${req.op}'`)
      return await load(req, emit)
    },
    // A load under way ends with the process (its threads and sockets with it).
    end: async () => {}
  }, io)
}
