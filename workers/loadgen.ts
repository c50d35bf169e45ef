/**
 * The load generator's process (src/load/process.ts starts it, in this
 * network namespace or another). It answers each load request with the load's
 * result and sends a tick about once a second; with --client-threads K the
 * load runs on K worker threads (src/load/threads.ts). With source addresses, new
 * connections take them in turn, so the listeners' 4-tuple hash sees several
 * peers.
 */
import { serveProtocol } from '../src/ipc/protocol.js'
import { runLoadHere } from '../src/load/here.js'
import { managedChild } from '../src/proc/children.js'
import type { LoadProtocol } from '../src/types/load.js'

managedChild('loadgen')

serveProtocol<LoadProtocol>({ load: async ({ spec, sourceAddresses }, emit) => await runLoadHere({ spec, sourceAddresses }, emit) })
