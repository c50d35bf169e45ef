/**
 * The versioned result document, its run folder, and saving it whole
 * (files.ts) with `latest` moved only once it is complete.
 */
import { mkdirSync, renameSync, rmdirSync, rmSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { compareToBaseline } from '../analyse/compare.js'
import { headline } from '../analyse/headline.js'
import { measured } from '../analyse/validity.js'
import { pairedComparisons } from '../analyse/paired.js'
import { analyseSweep } from '../analyse/sweep.js'
import { errnoCode, messageOf, UsageError } from '../errors.js'
import { makeDirs, writeFileAtomic } from './files.js'
import { toolVersion } from '../version.js'
import type { Comparison, ResultDoc } from '../types/docs.js'
import type { RunPlan } from '../types/plan.js'
import type { HostFacts, ModeRun } from '../types/run.js'
import { SCHEMA_VERSION } from '../types/docs.js'

/**
 * A grid's analysis added to its result: with more runs than modes (trials, a sweep), the medians with
 * intervals (on a piscina pool) and the paired ratios. `onStart` is told how many runs before it begins.
 */
export async function addGridAnalysis (doc: ResultDoc, plan: RunPlan, onStart: (runs: number) => void = () => {}): Promise<void> {
  const gridRuns = measured(doc.runs).filter(r => r.variant === undefined)
  if (gridRuns.length <= plan.modes.length) return
  onStart(gridRuns.length)
  doc.sweep = await analyseSweep(gridRuns, plan.seed)
  doc.paired = pairedComparisons(gridRuns.map(headline))
}

export function comparisonOf (runs: readonly ModeRun[]): Comparison[] {
  return compareToBaseline(measured(runs).filter(r => r.variant === undefined).map(headline))
}

/** What the 'run' samplers gave: the host facts, and any others by name. */
export interface RunSamples { host: HostFacts, others: Record<string, unknown> }

export function buildResult (plan: RunPlan, samples: RunSamples, runs: ModeRun[], command: string, createdAt: Date): ResultDoc {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'reuseport-bench', version: toolVersion() },
    status: 'complete',
    label: plan.label,
    createdAt: createdAt.toISOString(),
    command,
    plan,
    host: samples.host,
    ...(Object.keys(samples.others).length === 0 ? {} : { samples: samples.others }),
    runs,
    comparison: comparisonOf(runs),
    notes: {
      'client.latencyMs': 'client round trip measured by the load generator, from writing a request to receiving the whole response; NOT corrected for coordinated omission (autocannon sends the next request only after the previous response)',
      'client.correctedLatencyMs': 'with --rate only. The paced driver (the default with --rate): latency from each request\'s intended send time on an evenly spaced schedule, so time spent waiting for a free connection counts (exact); client.paced counts late and unsent requests. The autocannon driver: HdrHistogram expected-interval correction (interval = connections / rate), an approximation, since autocannon paces each connection per second rather than on a fixed schedule',
      'listeners.latencyUs': 'server processing time in the listener, from the request being parsed to the response being handed to the socket, microseconds; excludes time in the accept and socket queues',
      fairness: "over the listeners' accepted connections: Jain's index (1 = even), busiest/least busy (null when some listener got none), coefficient of variation, busiest listener's share",
      loadGenerator: 'CPU time of the load-generating process over the run; coreShare near 1 means the single-threaded client, not the listeners, limited throughput'
    }
  }
}

/** A folder name for a run started at `d`, e.g. 2026-11-24T16-42-47Z. */
export function stamp (d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
}

/**
 * Creates `<root>/<stamp>` for one run, exclusively (mkdir without -p: if it
 * exists, `-2`, `-3`, ... are tried): never shared with another run started
 * at the same moment, never an earlier result's folder. An `--out` that cannot
 * hold it is bad input, found before anything runs.
 */
export function createRunDir (root: string, createdAt: Date, prefix = ''): string {
  const bad = (err: unknown): UsageError => new UsageError(`--out ${root}: cannot create a folder for results there (${errnoCode(err) ?? messageOf(err)})`, 'RB_USAGE', { cause: err })
  try {
    makeDirs(root)
  } catch (err) {
    throw bad(err)
  }
  for (let i = 1; ; i++) {
    const dir = path.join(root, `${prefix}${stamp(createdAt)}${i === 1 ? '' : `-${i}`}`)
    try {
      mkdirSync(dir)
      return dir
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST' || i >= 10_000) throw bad(err)
    }
  }
}

/** Removes a run's folder if nothing was written in it (a run that produced no result). */
export function removeIfEmpty (dir: string): void {
  try { rmdirSync(dir) } catch {}
}

/**
 * Writes `<dir>/<fileName>` atomically (dir from createRunDir) and points
 * `<dir>/../<link>` at it, unless link is null. Returns the file's path.
 */
export function saveDoc (dir: string, doc: unknown, fileName = 'result.json', link: string | null = 'latest'): string {
  const file = path.join(dir, fileName)
  writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n')
  if (link === null) return file
  const root = path.dirname(dir)
  const linkPath = path.join(root, link)
  const tmpLink = path.join(root, `.${link}.${process.pid}.tmp`)
  try {
    rmSync(tmpLink, { force: true })
    symlinkSync(path.basename(dir), tmpLink)
    renameSync(tmpLink, linkPath)
  } catch {
    rmSync(tmpLink, { force: true })
  }
  return file
}
