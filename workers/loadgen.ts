/**
 * The load generator's process (src/load/process.ts starts it, in this
 * network namespace or another). It answers each load request with the load's
 * result and sends a tick about once a second; with --client-threads K the
 * load runs on K worker threads (src/load/threads.ts). With source addresses, new
 * connections take them in turn, so the listeners' 4-tuple hash sees several
 * peers.
 */
import { serve } from '../src/ipc/channel.js'
import { runLoadHere } from '../src/load/here.js'
import { managedChild } from '../src/proc/children.js'
import type { LoadRequest, LoadResult, LoadTick } from '../src/types/load.js'

managedChild('loadgen')

serve<LoadRequest, LoadTick, LoadResult>(async (req, emit) => await runLoadHere(req, emit))
