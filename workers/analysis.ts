/**
 * Piscina worker: the CPU-heavy part of analysing one sweep cell - decoding
 * and merging the trials' latency histograms and bootstrap resampling - so a
 * large grid is analysed on all cores.
 */
import { estimateMedian } from '../src/analyse/bootstrap.js'
import { pooledPlacementTest } from '../src/analyse/placement.js'
import { mergeHistograms, summarize } from '../src/collect/histogram.js'
import type { SweepTask } from '../src/analyse/sweep.js'
import type { SweepCell } from '../src/types/docs.js'

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
    placement: pooledPlacementTest(task.trials.map(t => t.accepts), task.seed)
  }
}
