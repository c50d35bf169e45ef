/**
 * A run's headline figures, picked out of its record in one place: the
 * comparison, verdicts, thresholds, sweeps and every table read these.
 */
import type { ModeRun } from '../types/run.js'
import { spreadOf } from './listenerFigures.js'

export interface Headline {
  mode: string
  /** "reuseport [tcp_migrate_req=1 (own netns)]" for a variant, else the mode. */
  name: string
  variant?: string
  workers: number
  connections: number
  trial: number
  /** Client requests per second. */
  rps: number
  /** Client round trip percentiles, ms. */
  p50Ms: number
  p99Ms: number
  /** Fairness of accepts (of datagrams in a UDP run): Jain's index, busiest share, busiest over least busy (null when some listener got none), idle listeners. */
  jain: number | null
  busiestShare: number | null
  maxMinRatio: number | null
  idle: number
  /** Client errors plus timeouts. */
  errors: number
}

export function headline (r: ModeRun): Headline {
  const spread = spreadOf(r)
  return {
    mode: r.mode,
    name: r.mode + (r.variant === undefined ? '' : ` [${r.variant}]`),
    ...(r.variant === undefined ? {} : { variant: r.variant }),
    workers: r.workers,
    connections: r.load.connections,
    trial: r.trial,
    rps: r.client.rps,
    p50Ms: r.client.latencyMs.p50,
    p99Ms: r.client.latencyMs.p99,
    jain: spread.jain,
    busiestShare: spread.busiestShare,
    maxMinRatio: spread.maxMinRatio,
    idle: spread.idle,
    errors: r.client.errors + r.client.timeouts
  }
}
