/**
 * Piscina worker: the CPU-heavy part of analysing one sweep cell - decoding
 * and merging the trials' latency histograms and bootstrap resampling - so a
 * large grid is analysed on all cores.
 */
import { estimateMedian } from '../src/analyse/bootstrap.js'
import { busiestShare } from '../src/analyse/busiest.js'
import { pooledPlacementTest } from '../src/analyse/placement.js'
import { mergeHistograms, summarize } from '../src/collect/histogram.js'
import type { SweepTask } from '../src/analyse/sweep.js'
import type { SweepCell } from '../src/types/docs.js'

const optional = <K extends string, V> (key: K, v: V | undefined): Partial<Record<K, V>> => v === undefined ? {} : { [key]: v } as Record<K, V>

/** The listeners' resident memory over the trials that recorded it, MiB, and how many processes held it. */
function memoryOf (task: SweepTask): SweepCell['memory'] {
  const seen = task.trials.flatMap(t => t.memory === undefined ? [] : [t.memory])
  if (seen.length === 0) return undefined
  return { rssMiB: estimateMedian(seen.map(m => m.rssBytes / 1048576), task.resamples, task.seed + 3), processes: Math.max(...seen.map(m => m.processes)) }
}

export default function analyse (task: SweepTask): SweepCell {
  const merged = mergeHistograms(task.trials.map(t => t.clientHistogram))
  const all = summarize(merged, 1000)
  merged.destroy()
  return {
    mode: task.mode,
    workers: task.workers,
    connections: task.connections,
    trials: task.trials.length,
    rps: estimateMedian(task.trials.map(t => t.rps), task.resamples, task.seed),
    p99Ms: estimateMedian(task.trials.map(t => t.p99Ms), task.resamples, task.seed + 1),
    jain: estimateMedian(task.trials.map(t => t.jain), task.resamples, task.seed + 2),
    pooledP99Ms: all.p99,
    placement: pooledPlacementTest(task.trials.map(t => t.accepts), task.seed),
    ...optional('busiest', busiestShare(task.trials.map(t => t.accepts), 2, task.seed)),
    ...optional('memory', memoryOf(task))
  }
}
