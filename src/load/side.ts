/**
 * The load side of a cell, as the engine (engine/run.ts) uses it: the load
 * generator process on this host (load/process.ts) or the client hosts
 * reached through their transports (load/remote.ts).
 */
import type { LoadResult, LoadSpec, LoadTick } from '../types/load.js'
import type { ClientHostRecord } from '../types/remote.js'

export interface LoadPhase { name: string, what: string, deadlineMs: number }

export interface CellLoad {
  /** Runs one load (the cell's whole load, split between hosts where there are several); fails past `phase.deadlineMs` or on `signal`. */
  run: (spec: LoadSpec, phase: LoadPhase, signal?: AbortSignal, onTick?: (t: LoadTick) => void) => Promise<LoadResult>
  /** What each client host did in the last load; absent for the load generator on this host. */
  clientHosts?: () => ClientHostRecord[]
  /** The processes on this host that make the load (the load generator); none for client hosts. */
  pids?: () => number[]
  /** Ends what this side started for the cell. */
  close: (graceMs?: number) => Promise<void>
}
