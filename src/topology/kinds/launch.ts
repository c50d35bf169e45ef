/**
 * The two ways a kind starts its listeners, loaded only when one launches (the
 * kinds' registry stays data): one process per listener, each given its
 * socket by the kind (perProcess.ts), or through one process that answers for
 * all of them, Node's cluster primary or the threads host (viaPrimary.ts).
 */
import type { SocketSource } from '../../types/listener.js'
import type { RunningListeners, Spawner } from './kind.js'
import type { PrimaryPlan } from './viaPrimary.js'

/** How a kind's processes start: `inOrder`, each after the one before listens (a steering program picks by join order); `inheritFd` handed down as fd 4, `onRelease` when the group lets go. */
export interface PerListenerOptions { inOrder?: boolean, inheritFd?: number, onRelease?: () => void }

/** One process per listener; listener `index` gets `socketFor(index, port)`. */
export async function perListener (s: Spawner, socketFor: (index: number, port: number) => SocketSource, o: PerListenerOptions = {}): Promise<RunningListeners> {
  const { ProcessPerListener } = await import('./perProcess.js')
  return await new ProcessPerListener(s, socketFor, o.inheritFd, o.onRelease).startAll(o.inOrder === true)
}

/** Through the process `plan` names, which starts and answers for the listeners. */
export async function viaPrimary (s: Spawner, plan: PrimaryPlan): Promise<RunningListeners> {
  const { launchViaPrimary } = await import('./viaPrimary.js')
  return await launchViaPrimary(s, plan)
}

/** The threads host (workers/threads-host.ts): its worker threads are the listeners, so its CPU is theirs, not a helper's. */
export const THREADS_HOST = { script: 'threads-host.js', name: 'the threads host', threads: true } as const
