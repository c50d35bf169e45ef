/**
 * One client thread of a load split over threads (src/load/threads.ts): it
 * serves LoadThreadProtocol over its port to the parent through the one
 * request/reply helper: on 'run' it pins itself to its CPUs, runs the load
 * driver on its share, sends its ticks as events and answers its result.
 */
import { parentPort } from 'node:worker_threads'
import { serveProtocol } from '../src/ipc/protocol.js'
import { portWire } from '../src/ipc/wire.js'
import { loadDriver } from '../src/load/drivers/index.js'
import { pinThread } from '../src/native/index.js'
import { spreadSources } from '../src/load/sources.js'
import type { LoadThreadProtocol } from '../src/types/load.js'
import { holdTickShape } from '../src/proc/tickShape.js'

if (parentPort === null) {
  process.stderr.write('loadgen-thread: not started as a worker thread; it is run by reuseport-bench\n')
  process.exit(2)
}
holdTickShape()

serveProtocol<LoadThreadProtocol>({
  run: async ({ spec, sourceAddresses, cpus }, emit) => {
    spreadSources(sourceAddresses, spec.port)
    const { driver, threads: _one, ...options } = spec
    if (cpus.length > 0) pinThread(cpus)
    return await loadDriver(driver).run({ ...options, onTick: (elapsedSec, responses) => emit({ elapsedSec, responses }) })
  }
}, { wire: portWire(parentPort) })
