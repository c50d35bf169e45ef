/**
 * A run plan is plain data: built once from CLI flags, validated once,
 * recorded verbatim in the result so any report can be re-run.
 */
import { UsageError } from './errors.js'
import { MODES } from './protocol.js'
import type { Mode } from './protocol.js'

export interface RunPlan {
  modes: Mode[]
  workers: number
  connections: number
  durationSec: number
  warmupSec: number
  /** A new connection every `churn` requests; 0 = keep-alive. */
  churn: number
  /** Requests per second in total; 0 = as fast as possible. */
  rate: number
  host: string
  /** 0 picks a free port. */
  port: number
  backlog: number
  /** Seconds between modes. */
  pauseSec: number
  /** Listener instrumentation (counters and histograms) on. */
  instrument: boolean
  label: string
}

/** Raw option values as they come from the command line (strings or numbers). */
export type RawOptions = Partial<Record<keyof RunPlan, unknown>>

export const DEFAULT_PLAN: RunPlan = {
  modes: ['reuseport', 'shared', 'cluster'],
  workers: 4,
  connections: 50,
  durationSec: 5,
  warmupSec: 1,
  churn: 0,
  rate: 0,
  host: '127.0.0.1',
  port: 0,
  backlog: 511,
  pauseSec: 1,
  instrument: true,
  label: ''
}

/** Limits that keep every load bounded in size and time. */
export const LIMITS = { workers: 256, connections: 10_000, durationSec: 3600, warmupSec: 600, pauseSec: 60, rate: 10_000_000, churn: 1_000_000, backlog: 65535 }

function num (name: string, v: unknown): number {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : ''
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new UsageError(`--${name} must be a number, got '${String(v)}'`)
  return Number(s)
}

export function integer (name: string, v: unknown, min: number, max: number): number {
  const n = num(name, v)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${String(v)}'`)
  }
  return n
}

function seconds (name: string, v: unknown, min: number, max: number): number {
  const n = num(name, v)
  if (n < min || n > max) throw new UsageError(`--${name} must be from ${min} to ${max} seconds, got '${String(v)}'`)
  return n
}

export function parseModes (v: unknown): Mode[] {
  const items = (Array.isArray(v) ? v.map(String) : String(v ?? '').split(','))
    .flatMap(s => s.split(',')).map(s => s.trim()).filter(s => s !== '')
  if (items.length === 0) throw new UsageError(`--modes needs at least one of ${MODES.join(', ')}`)
  const out: Mode[] = []
  for (const m of items) {
    if (!(MODES as readonly string[]).includes(m)) throw new UsageError(`unknown mode '${m}'; known modes: ${MODES.join(', ')}`)
    if (!out.includes(m as Mode)) out.push(m as Mode)
  }
  return out
}

/** Validates raw options into a plan; throws UsageError naming the option. */
export function buildPlan (raw: RawOptions): RunPlan {
  const d = DEFAULT_PLAN
  const pick = <K extends keyof RunPlan>(k: K): unknown => raw[k] ?? d[k]
  const plan: RunPlan = {
    modes: raw.modes === undefined ? [...d.modes] : parseModes(raw.modes),
    workers: integer('workers', pick('workers'), 1, LIMITS.workers),
    connections: integer('connections', pick('connections'), 1, LIMITS.connections),
    durationSec: seconds('duration', pick('durationSec'), 0.1, LIMITS.durationSec),
    warmupSec: seconds('warmup', pick('warmupSec'), 0, LIMITS.warmupSec),
    churn: integer('churn', pick('churn'), 0, LIMITS.churn),
    rate: integer('rate', pick('rate'), 0, LIMITS.rate),
    host: String(pick('host')),
    port: integer('port', pick('port'), 0, 65535),
    backlog: integer('backlog', pick('backlog'), 1, LIMITS.backlog),
    pauseSec: seconds('pause', pick('pauseSec'), 0, LIMITS.pauseSec),
    instrument: pick('instrument') !== false,
    label: String(pick('label'))
  }
  if (plan.label.length > 200) throw new UsageError('--label must be at most 200 characters')
  return plan
}
