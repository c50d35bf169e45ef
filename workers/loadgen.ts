/**
 * The load generator's process (src/load/process.ts starts it, in this
 * network namespace or another). It answers each load request with the load's
 * result and sends a tick about once a second; with --client-threads K the
 * load runs on K worker threads (src/load/threads.ts). With source addresses, new
 * connections take them in turn, so the listeners' 4-tuple hash sees several
 * peers.
 */
import { serve } from '../src/ipc/channel.js'
import { loadDriver } from '../src/load/drivers/index.js'
import { spreadSources } from '../src/load/sources.js'
import { runThreaded } from '../src/load/threads.js'
import { managedChild } from '../src/proc/children.js'
import type { LoadRequest, LoadResult, LoadTick } from '../src/types/load.js'

managedChild('loadgen')

serve<LoadRequest, LoadTick, LoadResult>(async (req, emit) => {
  if ((req.spec.threads ?? 1) > 1) return await runThreaded(req.spec, req.sourceAddresses, (elapsedSec, responses) => emit({ elapsedSec, responses }))
  spreadSources(req.sourceAddresses, req.spec.port)
  const { driver, threads: _one, ...spec } = req.spec
  return await loadDriver(driver).run({ ...spec, onTick: (elapsedSec, responses) => emit({ elapsedSec, responses }) })
})
