/**
 * The migration-wakeup tries (src/probe/migrationTry.ts), in the network namespace of its own that
 * src/probe/migrationWakeup.ts starts it in (`unshare --net`): loopback up and net.ipv4.tcp_migrate_req=1
 * there, never on the host; then each waiter's tries in turn, answered as one reply.
 */
import { serveProtocol } from '../src/ipc/protocol.js'
import { managedChild } from '../src/proc/children.js'
import { migrationTry } from '../src/probe/migrationTry.js'
import { prepareNamespace } from '../src/proc/netns.js'
import type { MigrationWakeupProtocol } from '../src/types/agent.js'
import type { MigrationWakeupTry } from '../src/types/probe.js'

managedChild('migration-wakeup')

serveProtocol<MigrationWakeupProtocol>({ tries: async req => {
  prepareNamespace({ 'net.ipv4.tcp_migrate_req': '1' })
  const tries: MigrationWakeupTry[] = []
  for (const waiter of req.waiters) {
    for (let i = 0; i < req.tries; i++) tries.push(await migrationTry(waiter, req.connections, req.waitMs))
  }
  return tries
} })
