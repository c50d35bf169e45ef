/**
 * The registry of samplers. A new sampler is one file beside this one plus
 * one line here; the engine begins every 'cell' sampler around each cell's
 * measured load, and `run` every 'run' sampler once.
 */
import type { HelperCpu } from '../../types/run.js'
import type { HostFacts } from '../../types/host.js'
import { helpersSampler } from './helperCpu.js'
import { hostSampler } from './host.js'
import { contentionSampler } from './contention.js'
import { hostSpeedSampler } from './hostSpeed.js'
import { netstatSampler } from './netstat.js'
import { queuesSampler } from './queues.js'
import type { SampleTarget, Sampler } from './sampler.js'

export const SAMPLERS: readonly Sampler[] = [
  hostSampler,
  helpersSampler,
  queuesSampler,
  netstatSampler,
  // Samplers end in the reverse order they began: contention's window lies inside the host's speed timings.
  hostSpeedSampler,
  contentionSampler
]

/**
 * Begins every sampler of `scope`, in registry order; the function returned ends them in the reverse order
 * (the last begun ends first) and gives their figures by name, in registry order (empty when none had any).
 */
export function beginSamplers (scope: Sampler['scope'], target: SampleTarget, samplers: readonly Sampler[] = SAMPLERS): () => Record<string, unknown> {
  const ends = samplers.filter(s => s.scope === scope).map(s => [s.name, s.begin(target)] as const)
  return () => {
    const got = new Map<string, unknown>()
    for (const [name, end] of [...ends].reverse()) got.set(name, end())
    const out: Record<string, unknown> = {}
    for (const [name] of ends) {
      const v = got.get(name)
      if (v !== null && v !== undefined) out[name] = v
    }
    return out
  }
}

/** The run's samples: the host facts every result records, and any other 'run' sampler's figures. */
export function sampleRun (): { host: HostFacts, others: Record<string, unknown> } {
  const { host, ...others } = beginSamplers('run', { port: 0, pids: [] })()
  return { host: (host ?? hostSampler.begin({ port: 0, pids: [] })()) as HostFacts, others }
}

/** The listener-side CPU of helper processes among a cell's samples, from every sampler that declares some (summed). */
export function helperCpuOf (samples: Readonly<Record<string, unknown>>, samplers: readonly Sampler[] = SAMPLERS): HelperCpu | undefined {
  let total: HelperCpu | undefined
  for (const s of samplers) {
    const v = samples[s.name]
    if (s.helperCpu === undefined || v === undefined || !s.is(v)) continue
    const h = s.helperCpu(v)
    total = total === undefined ? h : { pids: [...total.pids, ...h.pids], cpuMs: total.cpuMs + h.cpuMs }
  }
  return total
}
