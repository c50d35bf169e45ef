/**
 * An accept agent: a process holding the probe's shared listening socket as fd 4, which waits for one
 * connection at a time when asked, in a blocking accept() or in an EPOLLEXCLUSIVE epoll set (its one set,
 * registered at its first request and kept, as a worker's would be), and answers once it has taken one.
 * Exits when its IPC channel closes.
 */
import { errnoCode, messageOf } from '../src/errors.js'
import { serve } from '../src/ipc/channel.js'
import { acceptOnce, acceptWaiter } from '../src/native/index.js'
import { managedChild } from '../src/proc/children.js'
import type { AcceptReply, AcceptRequest } from '../src/types/agent.js'

managedChild('accept-agent')

const SHARED_FD = 4
let epfd: number | undefined

serve<AcceptRequest, never, AcceptReply>(async m => {
  if (m.op === 'hello') return { ok: true }
  try {
    if (m.style === 'epoll-exclusive') epfd ??= acceptWaiter(SHARED_FD)
    await acceptOnce(SHARED_FD, m.style === 'epoll-exclusive' ? epfd : -1)
    return { ok: true }
  } catch (err) {
    return { ok: false, code: errnoCode(err) ?? 'EUNKNOWN', message: messageOf(err) }
  }
})
