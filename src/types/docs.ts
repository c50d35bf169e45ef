/**
 * The documents written to disk (result and probe), with their schema version, at the bottom: imports only other types.
 */
import type { RunPlan } from './plan.js'
import type { ProbeDoc } from './probe.js'
import type { ModeRun, Placement } from './run.js'
import type { HostFacts } from './host.js'

export interface Comparison {
  mode: string
  workers: number
  connections?: number
  trial?: number
  baseline: string
  /** Requests/s of this mode over the baseline's: above 1 is faster. */
  throughputRatio: number | null
  /** Client p99 of this mode over the baseline's: below 1 is better. */
  p99Ratio: number | null
  /** Jain's index of accepts over the baseline's: above 1 is fairer. */
  jainRatio: number | null
}

/**
 * A median over trials with an interval suited to their number: a 95% bootstrap
 * interval from 10 trials, the min-max range below, none for one trial.
 * `method` is absent in results written before it existed (those were bootstrap).
 */
export interface Estimate { median: number, lo: number, hi: number, n: number, method?: 'bootstrap' | 'min-max' | 'none' }

/** The busiest `top` of a cell's `k` listeners: their share of each trial's connections (median and interval over trials), and the 95% range uniform random placement of `connections` on k gives. */
export interface BusiestShare { top: number, k: number, connections: number, share: Estimate, random: [number, number] }

export interface SweepCell {
  mode: string
  workers: number
  connections: number
  trials: number
  rps: Estimate
  p99Ms: Estimate
  /** Jain's index of accepts; trials where it is undefined (no accepts) count as 0. */
  jain: Estimate
  /** p99 of all trials' client latencies pooled (merged histograms), ms. */
  pooledP99Ms: number
  /** The accepts of all trials pooled by listener index, against random placement; absent in older results. */
  placement?: Placement
  /** The busiest two listeners' share of each trial's connections (three listeners or more); absent in older results. */
  busiest?: BusiestShare
  /** The listeners' resident memory at the end of each trial, MiB (each process once: the threads mode's one process once), and how many processes; absent in older results. */
  memory?: { rssMiB: Estimate, processes: number }
  /** Every round of this configuration changed within it: the figures use them all, and are not comparable. */
  hostUnstable?: true
}

/**
 * The ratio of one mode's figure to another's from paired trials: trial t of
 * both ran back to back in the same configuration (plan/grid.ts), so drift
 * touches both alike. The ratio is the geometric mean of the pairs' ratios;
 * the interval is a 95% Student t interval of their mean logarithm.
 */
export interface PairedRatio {
  ratio: number
  /** The 95% interval; null from one pair, which gives none. */
  lo: number | null
  hi: number | null
  /** Each pair's ratio, in trial order. */
  pairs: number[]
  /** 'higher' or 'lower' when the interval excludes 1, 'no measurable difference' when it includes it, 'no interval' from one pair. */
  finding: 'higher' | 'lower' | 'no measurable difference' | 'no interval'
  /**
   * With no measurable difference: about how many paired trials would resolve
   * one of the observed size at the observed spread (null when none is seen,
   * or it would take more than 1,000).
   */
  trialsToResolve: number | null
}

/** One mode against another at one configuration, from their paired trials. */
export interface PairedComparison {
  mode: string
  against: string
  workers: number
  connections: number
  /** Requests/s of `mode` over `against`'s: above 1 is faster. */
  throughput: PairedRatio
  /** Client p99 of `mode` over `against`'s: below 1 is better. */
  p99: PairedRatio
  /** Every round of this configuration changed within it: the ratio uses them all, and is not comparable. */
  hostUnstable?: true
}

/** Where one pair stands against the asked precision. */
export interface PairPrecision {
  mode: string
  against: string
  workers: number
  connections: number
  ratio: number
  /** Kept rounds (pairs) so far. */
  rounds: number
  /** Relative half-width of the req/s ratio's interval; null without one. */
  halfWidth: number | null
  /** Of the p99 ratio's, said beside it (the stopping rule reads req/s). */
  p99HalfWidth: number | null
  /** Pairs that would reach the precision at the spread seen; null when no spread is known yet or past MOST_ROUNDS. */
  roundsNeeded: number | null
  /** Whether the stopping rule holds it precise (analyse/precision.ts preciseEnough: at least 12 rounds, a width that allows for the spread's own uncertainty). */
  precise: boolean
}

/** Why a run with a precision stopped where it did. */
export type StopReason = 'resolved' | 'budget' | 'rounds' | 'interrupted'

/** The record of a run that asked for a precision: what it asked, where each configuration stopped and why. */
export interface PrecisionStop {
  workers: number
  connections: number
  reason: StopReason
  /** Rounds run (kept or not) and seconds spent on this configuration, start and warm-up included. */
  rounds: number
  seconds: number
  /** The mean wall time of one round, seconds (what the estimate of more rounds uses). */
  roundSec: number
  /** The precision asked (0.05: within 5%); null when only a budget was set. */
  precision: number | null
  pairs: PairPrecision[]
}

export const SCHEMA_VERSION = 1

export interface ResultDoc {
  /** The `$id` of the schema it fits (src/schema/ids.ts); absent in results written before it was named. */
  $schema?: string
  schemaVersion: typeof SCHEMA_VERSION
  tool: { name: 'reuseport-bench', version: string }
  /** 'partial' when the run was cut short: `runs` holds only the modes that completed. */
  status: 'complete' | 'partial'
  failure?: { code: string, message: string }
  label: string
  createdAt: string
  /** The command line that produced this result. */
  command: string
  plan: RunPlan
  host: HostFacts
  /** Figures of 'run' samplers other than the host facts, by name; absent when there are none. */
  samples?: Record<string, unknown>
  runs: ModeRun[]
  /** The mode the others are compared with (a listener kind's property); results written before it existed: shared. */
  baseline: string
  comparison: Comparison[]
  /** What each latency figure means. */
  notes: Record<string, string>
  /** The probe, when the run included one (run --probe). */
  probe?: ProbeDoc
  /** Set only on fixture data (never on a measurement): what it is and where it came from. */
  fixture?: string
  /** Medians with 95% bootstrap intervals per (mode, workers, connections), when the plan is a sweep or has trials. */
  sweep?: SweepCell[]
  /** Every two modes of each configuration compared trial by trial (shared first, then the order of --modes); with the sweep. */
  paired?: PairedComparison[]
  /** Parts of the plan that were not run here, with the reason. */
  skipped?: NotRun[]
  /** Whether the host held still during each cell, and what was left out of ratios because it did not (analyse/hostCheck.ts). */
  hostCheck?: HostCheck
  /** With a precision asked (--precision): where each configuration's rounds stopped, and why; absent otherwise. */
  precision?: PrecisionStop[]
}

/** A round (a configuration's trial, or its round of slices) left out of ratios, and why. */
export interface LeftOutRound { workers: number, connections: number, trial: number, reasons: string[] }

/** The host check of a run: how far its speed moved and how much of its CPUs others took; what it left out. */
export interface HostCheck {
  /** What a pair of modes is: a round of slices side by side, or a trial of cells. */
  unit: 'round' | 'trial'
  /** Rounds (configuration x trial) in the run. */
  rounds: number
  leftOut: LeftOutRound[]
  /** The most one cell's CPU speed moved across its load (|before/after - 1|); null: not calibrated. */
  speedMovedMax: number | null
  /** The most a CPU's speed differed from its first calibration; null: not calibrated. */
  speedDrift: number | null
  foreignMean: number | null
  /** The least other processes took of one cell's CPUs; absent in results written before it existed. */
  foreignMin?: number | null
  foreignMax: number | null
  stealMax: number | null
  /** The unstable rounds were kept in ratios (--unstable keep); `leftOut` then lists them all the same. */
  kept?: boolean
  /**
   * Configurations whose every round changed within it: their figures use all their rounds all the same,
   * marked "host unstable: not comparable" (never an empty answer). Absent when none.
   */
  notComparable?: Array<{ workers: number, connections: number }>
  /** The sentence every comparison of this run carries. */
  statement: string
}

/** A part of the plan that was not run (a mode this OS lacks, a variant that needs a namespace), and why. */
export interface NotRun { what: string, reason: string }

