/**
 * The migration wakeup, asked directly of this kernel: with net.ipv4.tcp_migrate_req=1 (in a network
 * namespace of its own, Linux, root), does a connection the kernel moves from a closing listener's queue
 * to another socket of its group wake that socket's waiters, or does it wait until the next connection
 * arrives? The tries run in a child (workers/migration-wakeup.ts); here they are started, bounded in time
 * and summed up. Which kernels carry the fix is for this measurement to say.
 */
import { fileURLToPath } from 'node:url'
import { PhaseTimeoutError } from '../errors.js'
import { ProtocolChannel } from '../ipc/protocol.js'
import { missingFeature } from '../kernel/features.js'
import { spawnTracked } from '../proc/children.js'
import { netnsUnavailable } from '../proc/netns.js'
import type { MigrationWakeupProtocol, MigrationWakeupRequest } from '../types/agent.js'
import { MIGRATION_WAKEUP_REPLIES } from './replies.js'
import type { MigrationOutcome, MigrationWaiter, MigrationWakeup, MigrationWakeupTry } from '../types/probe.js'

const WORKER = fileURLToPath(new URL('../../workers/migration-wakeup.js', import.meta.url))
const WAITERS: MigrationWaiter[] = ['epoll', 'blocking-accept']

/** Why it cannot run here, in one line; undefined when it can. */
export function migrationWakeupUnavailable (): string | undefined {
  return netnsUnavailable() ?? missingFeature('tcp_migrate_req')
}

/** One waiter's tries, in one word. */
export function outcomeOf (tries: readonly MigrationWakeupTry[]): MigrationOutcome {
  if (tries.every(t => t.migrated === 0)) return 'not-migrated'
  if (tries.every(t => t.promptly === t.connections)) return 'prompt'
  if (tries.every(t => t.promptly === 0 && t.afterNext > 0)) return 'waits-for-next'
  return 'mixed'
}

const WAITER_WORDS: Record<MigrationWaiter, string> = { epoll: 'in epoll (libuv, as every Node listener)', 'blocking-accept': 'in a blocking accept()' }

function sentenceOf (tries: readonly MigrationWakeupTry[], waitMs: number): string {
  const parts = WAITERS.map(w => {
    const mine = tries.filter(t => t.waiter === w)
    if (mine.length === 0) return undefined
    const sum = (f: (t: MigrationWakeupTry) => number): number => mine.reduce((a, t) => a + f(t), 0)
    const [n, prompt, after, lost, moved] = [sum(t => t.connections), sum(t => t.promptly), sum(t => t.afterNext), sum(t => t.lost), sum(t => t.migrated)]
    const how: Record<MigrationOutcome, string> = {
      prompt: `all ${prompt} were accepted within ${waitMs} ms of the close (the last after ${Math.max(...mine.map(t => t.lastPromptMs ?? 0))} ms): the move wakes the waiter`,
      'waits-for-next': `none was accepted within ${waitMs} ms; ${after} were, once the next connection arrived: the move does not wake the waiter`,
      mixed: `${prompt} were accepted within ${waitMs} ms, ${after} only once the next connection arrived, ${lost} never`,
      'not-migrated': 'the kernel moved none (TCPMigrateReqSuccess did not grow)'
    }
    return `waiting ${WAITER_WORDS[w]}, of ${n} connections queued at the closing listener over ${mine.length} tries (${moved} moved by the kernel), ${how[outcomeOf(mine)]}`
  }).filter((p): p is string => p !== undefined)
  return `With tcp_migrate_req=1: ${parts.join('; ')}.`
}

/** Runs the tries; `deadlineScale` stretches the child's deadline on a slow host (not the prompt window). */
export async function migrationWakeup (o: { tries?: number, connections?: number, waitMs?: number, deadlineScale?: number } = {}): Promise<MigrationWakeup> {
  const req: MigrationWakeupRequest = { waiters: WAITERS, tries: o.tries ?? 3, connections: o.connections ?? 8, waitMs: o.waitMs ?? 1000 }
  const child = spawnTracked('unshare', ['--net', '--', process.execPath, WORKER], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
  const channel = new ProtocolChannel<MigrationWakeupProtocol>(child, 'the migration-wakeup tries').checkReplies(MIGRATION_WAKEUP_REPLIES)
  const deadlineMs = (10_000 + req.waiters.length * req.tries * (2 * req.waitMs + 1000)) * (o.deadlineScale ?? 1)
  try {
    const tries = await channel.ask('tries', req, {
      timeoutMs: deadlineMs,
      onTimeout: () => new PhaseTimeoutError('migration wakeup', 'the tries in their own namespace', deadlineMs, `pid ${String(child.pid)} did not finish`)
    })
    const outcomes = WAITERS.map(waiter => ({ waiter, outcome: outcomeOf(tries.filter(t => t.waiter === waiter)) }))
    return { waitMs: req.waitMs, tries, outcomes, sentence: sentenceOf(tries, req.waitMs) }
  } finally {
    await channel.close()
  }
}
