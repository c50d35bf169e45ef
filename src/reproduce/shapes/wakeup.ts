/**
 * "A connection moved from a closing listener waits until the next one arrives": the probe's
 * migration-wakeup tries (probe/migrationWakeup.ts) against the claim of the fix upstream. Each waiter's
 * tries give an outcome with no noise to speak of (a wakeup comes within milliseconds, or not until the
 * nudge): reproduced when the waiter named slept until the next connection, contradicted when every
 * migrated connection was accepted promptly (the kernel carries the fix), inconclusive when mixed or
 * when nothing was moved; not run where tcp_migrate_req or a namespace is missing, with the probe's reason.
 */
import { oneOf } from '../../shape.js'
import type { StudyCheck } from '../../types/study.js'
import type { MigrationWaiter } from '../../types/probe.js'
import { field, missing } from './shape.js'
import type { Evidence, Judgement, StudyShape } from './shape.js'

export const wakeup: StudyShape = {
  name: 'migration-wakeup',
  needs: 'probe',
  fields: { waiter: oneOf(['epoll', 'blocking-accept']) },
  modes: (_c: StudyCheck) => [],
  judge (c: StudyCheck, e: Evidence): Judgement {
    const waiter = field<MigrationWaiter>(c, 'waiter')
    const m = e.probe?.migrationWakeup
    if (m === undefined) {
      const why = e.probe?.skipped.find(k => k.rows === 'migration wakeup')?.reason
      return why === undefined ? missing('the probe did not run the migration wakeup') : { measured: 'not run here', value: null, finding: 'not run', why }
    }
    const tries = m.tries.filter(t => t.waiter === waiter)
    const sum = (f: (t: typeof tries[number]) => number): number => tries.reduce((a, t) => a + f(t), 0)
    const [n, prompt, after] = [sum(t => t.connections), sum(t => t.promptly), sum(t => t.afterNext)]
    const outcome = m.outcomes.find(o => o.waiter === waiter)?.outcome
    const measured = `${prompt} of ${n} moved connections accepted within ${m.waitMs} ms of the close, ${after} only after the next connection (${tries.length} tries, ${e.probe?.release ?? ''})`
    const value = { median: prompt, lo: null, hi: null, unit: `of ${n} accepted promptly` }
    if (outcome === 'waits-for-next') return { measured, value, finding: 'reproduced', why: 'no moved connection woke the waiter; each was accepted only when the next connection arrived' }
    if (outcome === 'prompt') return { measured, value, finding: 'contradicted', why: 'every moved connection woke the waiter at once: this kernel carries the fix' }
    return { measured, value, finding: 'inconclusive', why: outcome === 'not-migrated' ? 'the kernel moved no connection (TCPMigrateReqSuccess did not grow)' : 'some tries woke the waiter and some did not' }
  }
}
