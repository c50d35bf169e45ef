/**
 * One client thread of a load split over threads (src/load/threads.ts): pins
 * itself to its CPU, runs the load driver on its share and posts ticks and its result.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { loadDriver } from '../src/load/drivers/index.js'
import { pinThread } from '../src/native/index.js'
import { spreadSources } from '../src/load/sources.js'
import type { ThreadData, ThreadMessage } from '../src/load/threads.js'
import { holdTickShape } from '../src/proc/tickShape.js'

holdTickShape()

const { spec, sourceAddresses, cpus } = workerData as ThreadData
const post = (m: ThreadMessage): void => parentPort?.postMessage(m)
spreadSources(sourceAddresses, spec.port)
const { driver, threads: _one, ...options } = spec
try {
  if (cpus.length > 0) pinThread(cpus)
  const result = await loadDriver(driver).run({ ...options, onTick: (_s, responses) => post({ type: 'tick', responses }) })
  post({ type: 'done', result })
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
}
