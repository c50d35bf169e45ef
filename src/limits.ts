/**
 * Every limit on what a run may ask, in one place, and the shapes of the
 * fields that travel between processes (shape.ts): the plan's validation
 * (plan/validate.ts, proc/cpus.ts), a listener's configuration (topology/listenerConfig.ts) and
 * a remote side's requests (remote/check.ts) all read these, so a value one
 * accepts the others accept too.
 */
import { above, array, int, object, oneOf, optional, tagged, text } from './shape.js'
import type { Shape } from './shape.js'

/** The highest CPU number a CPU set may name. */
export const MAX_CPU = 1023

/** Limits that keep every load bounded in size and time. */
export const LIMITS = {
  /** Modes (arms included) in one plan: every kind the registry has fits, with room for arms. */
  modes: 16,
  workers: 256,
  connections: 10_000,
  durationSec: 3600,
  /** A whole run's budget (--max-time), seconds. */
  maxTimeSec: 24 * 3600,
  warmupSec: 600,
  pauseSec: 60,
  /** One slice of side-by-side modes, seconds (at least 0.2). */
  sliceSec: 60,
  rate: 10_000_000,
  churn: 1_000_000,
  /** Requests in flight on one connection (--pipelining). */
  pipelining: 256,
  backlog: 65535,
  /** Busy work per request, microseconds. */
  workUs: 1_000_000,
  /** A stall's length and period, ms. */
  stallMs: 60_000,
  restartBusyMs: 10_000,
  clientThreads: 64,
  queueSampleMs: 10_000,
  deadlineScale: 100,
  /** How long one request to a remote side may be given, ms. */
  withinMs: 600_000,
  /** Characters of a host address, a label, a path. */
  hostText: 64,
  labelText: 300,
  pathText: 4096
} as const

const STALL = { forMs: above(0, LIMITS.stallMs), everyMs: above(0, LIMITS.stallMs) }

/** A UDP datagram the client sends: its header (a sequence number, a flow and the listener's index) fits in the least; the most is IPv4's largest UDP payload. */
export const DATAGRAM_BYTES = { least: 16, most: 65_507, usual: 64 } as const

/** The shapes of fields several messages carry. */
export const FIELDS = {
  port: int(0, 65535),
  backlog: int(1, LIMITS.backlog),
  workers: int(1, LIMITS.workers),
  workUs: int(0, LIMITS.workUs),
  host: text(LIMITS.hostText),
  label: text(LIMITS.labelText),
  path: text(LIMITS.pathText),
  /** A stall of one listener (its index given where the message is for a group): 0 < forMs, everyMs <= stallMs. */
  stall: object(STALL),
  groupStall: object({ index: int(0, LIMITS.workers - 1), ...STALL }),
  steer: tagged('kind', {
    cpu: object({ groupSize: int(1, LIMITS.workers) }),
    index: object({ index: int(0, LIMITS.workers - 1) }),
    ebpf: object({
      policy: oneOf(['hash', 'two-choices', 'least-loaded']),
      groupSize: int(1, LIMITS.workers),
      join: optional(object({ sockarray: int(1, 2 ** 31 - 1), load: int(1, 2 ** 31 - 1), prog: int(1, 2 ** 31 - 1) })),
      dump: optional('boolean')
    })
  }),
  /** A CPU set: at least one CPU. */
  cpus: array(int(0, MAX_CPU), MAX_CPU + 1, 1),
  withinMs: int(1, LIMITS.withinMs)
} satisfies Record<string, Shape>
