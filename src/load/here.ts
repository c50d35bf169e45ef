/**
 * One load run in this process: on the driver directly, or on worker threads
 * with --client-threads K (load/threads.ts). The load generator process
 * (workers/loadgen.ts) and a client host's control side (load/remoteSide.ts)
 * both run a load through here.
 */
import { loadDriver } from './drivers/index.js'
import { assertSourcesUsable, spreadSources } from './sources.js'
import { runThreaded } from './threads.js'
import type { LoadRequest, LoadResult, LoadTick } from '../types/load.js'

export async function runLoadHere (req: LoadRequest, onTick: (t: LoadTick) => void): Promise<LoadResult> {
  const tick = (elapsedSec: number, responses: number): void => onTick({ elapsedSec, responses })
  await assertSourcesUsable(req.sourceAddresses)
  if ((req.spec.threads ?? 1) > 1) return await runThreaded(req.spec, req.sourceAddresses, tick)
  spreadSources(req.sourceAddresses, req.spec.port)
  const { driver, threads: _one, ...spec } = req.spec
  return await loadDriver(driver).run({ ...spec, onTick: tick })
}
