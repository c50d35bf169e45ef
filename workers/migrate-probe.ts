/**
 * Whether this kernel moves a closing listener's queue (kernel/features.ts asks, through `unshare --net`):
 * in this fresh namespace, loopback up and net.ipv4.tcp_migrate_req=1; A's queue filled with completed
 * handshakes, B joined to A's group, A closed; how many then wait in B's queue. Prints one JSON line and
 * exits. The sysctl can exist on a kernel that does not migrate (Debian's 5.10 has it), so only this says.
 */
import { acceptQueue, closeSocket } from '../src/native/index.js'
import { queueAtA } from '../src/probe/migrationTry.js'
import { prepareNamespace } from '../src/proc/netns.js'

const CONNECTIONS = 8
prepareNamespace({ 'net.ipv4.tcp_migrate_req': '1' })
const { a, b, clients } = queueAtA(CONNECTIONS)
closeSocket(a)
const moved = acceptQueue(b).queued
for (const c of clients) closeSocket(c)
closeSocket(b)
process.stdout.write(`${JSON.stringify({ connections: CONNECTIONS, moved })}\n`)
