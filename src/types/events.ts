/**
 * What the engine says while it runs, as typed events: the terminal renders
 * them (report/progress.ts), a child run streams them to its parent, the
 * result keeper and the tests subscribe. At the bottom: imports only types.
 */
import type { ClientPlace } from './load.js'
import type { Cell, NodeBinary, RunPlan } from './plan.js'
import type { CpuSets, ModeRun, WarmedBefore } from './run.js'
import type { PairPrecision, PrecisionStop } from './docs.js'

/** Where a cell stands in its plan: its number of how many, whether the plan is a grid (sweep or trials), and the time left by the pace so far. */
export interface CellPosition { cell: Cell, number: number, of: number, grid: boolean, leftSec?: number, /** A slice of modes side by side: its trial is its round. */ slice?: true, /** A UDP cell: its connections are flows, its requests datagrams. */ udp?: true }

export type RunEvent =
  | { type: 'cell-started', at: CellPosition, option: string, note: string, steer: string | null }
  | { type: 'cell-ready', at: CellPosition, workers: number, port: number, readyMs: number }
  /** The listeners are still starting, `elapsedSec` in, against a deadline of `deadlineSec` (a busy host's start, said while it lasts). */
  | { type: 'cell-slow', at: CellPosition, elapsedSec: number, deadlineSec: number }
  /** The warm-up begins: it ends once throughput is steady, at most `seconds` in. */
  | { type: 'warm-up', at: CellPosition, seconds: number, asFirst?: WarmedBefore }
  /** The warm-up ended: how long it took, whether throughput was steady, each tick's req/s. */
  | { type: 'warmed', at: CellPosition, seconds: number, steady: boolean, rps: number[] }
  | { type: 'load-started', at: CellPosition, durationSec: number, connections: number, churn: number, rate: number, restart: boolean }
  /** About once a second during the measured load. */
  | { type: 'tick', at: CellPosition, elapsedSec: number, durationSec: number, responses: number }
  | { type: 'listener-replaced', at: CellPosition, index: number, drainMs: number }
  | { type: 'cell-done', at: CellPosition, run: ModeRun }
  /** With a precision asked: after each round, every pair's standing and about how much more the least resolved needs. */
  | { type: 'round-done', at: CellPosition, round: number, precision: number, standing: PairPrecision[], more: { rounds: number, seconds: number } | null }
  /** With a precision or a budget: where a configuration's rounds stopped, and why (recorded in the result). */
  | { type: 'rounds-stopped', at: CellPosition, stop: PrecisionStop }

/** What a session says around its cells: a part of the plan not run (and what runs instead), a step it takes, the analysis starting. */
export type SessionEvent =
  | { type: 'skipped', what: string, reason: string, instead?: string }
  | { type: 'note', text: string }
  | { type: 'analysing', runs: number }

export interface ChildRunRequest {
  plan: RunPlan
  /** Set in a fresh namespace: bring loopback up and set these sysctls there. */
  prepare?: { sysctls: Record<string, string> }
  client?: ClientPlace
  /** What the session resolved (the CPU sets, the listeners' Node): the child uses them rather than resolving again. */
  resolved?: { cpus: CpuSets, node: NodeBinary }
}

/** A child run streams the engine's events as they come. */
export type ChildRunEvent = RunEvent

/** Orchestrator -> a plan run elsewhere (workers/run-child.ts): its cells as the reply, the engine's events as they come. */
export type ChildRunProtocol = {
  run: { request: ChildRunRequest, reply: ModeRun[], event: ChildRunEvent }
}
