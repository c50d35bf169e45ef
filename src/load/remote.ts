/**
 * A cell's load from client hosts (`run --client-via`): the connections and
 * the rate shared out between them (as between client threads), one start
 * time given to each in its own clock (ours plus the offset measured at
 * connect), every host's result merged exactly into one (load/merge.ts), and
 * what each host did kept for the record. Coordination is the start time and
 * the replies, never a sleep here.
 */
import { mergeLoadResults, shares } from './merge.js'
import type { RemoteHost } from '../remote/host.js'
import { wallClockMs } from '../remote/control.js'
import type { LoadResult, LoadSpec, LoadTick } from '../types/load.js'
import type { ClientHostRecord, RemoteLoadDone } from '../types/remote.js'
import type { CellLoad, LoadPhase } from './side.js'

/** How far ahead of now a load's start is set, beyond two round trips to the slowest host. */
const START_LEAD_MS = 300

/** The CPU of the merged load: the busiest host's (the one most likely to have set the pace), with every thread's loop and placement. */
function busiestCpu (parts: readonly LoadResult[]): LoadResult['cpu'] {
  const busiest = [...parts].sort((a, b) => b.cpu.coreShare - a.cpu.coreShare)[0]
  if (busiest === undefined) return { userMs: 0, systemMs: 0, wallMs: 0, coreShare: 0, saturated: false }
  return { ...busiest.cpu, loopUtilization: parts.flatMap(p => p.cpu.loopUtilization ?? []), placement: parts.flatMap(p => p.cpu.placement ?? []) }
}

export class RemoteLoads implements CellLoad {
  private last: ClientHostRecord[] = []

  constructor (private readonly hosts: readonly RemoteHost[]) {}

  /** Each host's share of `spec`: connections and rate split as evenly as whole numbers allow. */
  private specs (spec: LoadSpec): LoadSpec[] {
    const conns = shares(spec.connections, this.hosts.length)
    const rates = spec.rate > 0 ? shares(spec.rate, this.hosts.length) : conns.map(() => 0)
    return conns.map((connections, i) => ({ ...spec, connections, rate: rates[i] ?? 0 }))
  }

  async run (spec: LoadSpec, phase: LoadPhase, signal?: AbortSignal, onTick?: (t: LoadTick) => void): Promise<LoadResult> {
    const specs = this.specs(spec)
    // The clocks read again just before each load, so a drift over a long run does not move the start.
    await Promise.all(this.hosts.map(h => h.readClock({ timeoutMs: 5000, phase: `clock before the ${phase.name} of ${phase.what}`, ...(signal === undefined ? {} : { signal }) })))
    const lead = START_LEAD_MS + 2 * Math.max(...this.hosts.map(h => h.clock.rttMs))
    const plannedStart = wallClockMs() + lead
    const seen = this.hosts.map(() => ({ elapsedSec: 0, responses: 0 }))
    const tick = (i: number) => (e: LoadTick): void => {
      seen[i] = e
      onTick?.({ elapsedSec: Math.max(...seen.map(s => s.elapsedSec)), responses: seen.reduce((a, s) => a + s.responses, 0) })
    }
    const done = await Promise.all(this.hosts.map((h, i) => h.ask('load',
      { spec: specs[i] ?? spec, sourceAddresses: [], startAtMs: plannedStart + h.clock.offsetMs },
      { timeoutMs: phase.deadlineMs + lead, phase: `${phase.name} of ${phase.what}`, onEvent: tick(i), ...(signal === undefined ? {} : { signal }) })))
    this.last = done.map((d, i) => this.record(i, specs[i] ?? spec, d, plannedStart))
    return mergeLoadResults(done.map(d => d.result), busiestCpu(done.map(d => d.result)))
  }

  private record (i: number, spec: LoadSpec, d: RemoteLoadDone, plannedStart: number): ClientHostRecord {
    const h = this.hosts[i]
    if (h === undefined) throw new Error(`no client host ${i}`)
    const r = d.result
    return {
      ...h.record(),
      connections: spec.connections,
      rate: spec.rate,
      connectionsOpened: r.connectionsOpened,
      responses: r.responses,
      errors: r.errors,
      rps: r.rps,
      latencyMs: r.latencyMs,
      coreShare: r.cpu.coreShare,
      startedAfterMs: Math.round((d.startedAtMs - h.clock.offsetMs - plannedStart) * 1000) / 1000
    }
  }

  clientHosts (): ClientHostRecord[] {
    return this.last
  }

  async close (): Promise<void> {
    // The hosts stay connected for the next cell; the run closes them at its end.
  }
}
