// The migration wakeup's summing up (probe/migrationWakeup.ts) and its study shape (reproduce/shapes/wakeup.ts),
// on synthetic tries (pure; the tries themselves run against real kernels in test:kernels and the probe).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { outcomeOf } from '../../src/probe/migrationWakeup.js'
import { wakeup } from '../../src/reproduce/shapes/wakeup.js'
import type { MigrationWakeupTry, ProbeDoc } from '../../src/types/probe.js'

const t = (promptly: number, afterNext: number, migrated = 8, waiter: MigrationWakeupTry['waiter'] = 'epoll'): MigrationWakeupTry =>
  ({ waiter, connections: 8, migrated, promptly, afterNext, lost: 8 - promptly - afterNext, lastPromptMs: promptly > 0 ? 3 : null })

test('every moved connection accepted at once is prompt; none until the next connection is waits-for-next; the rest mixed or not migrated', () => {
  assert.equal(outcomeOf([t(8, 0), t(8, 0)]), 'prompt')
  assert.equal(outcomeOf([t(0, 8), t(0, 8)]), 'waits-for-next')
  assert.equal(outcomeOf([t(8, 0), t(0, 8)]), 'mixed')
  assert.equal(outcomeOf([t(4, 4)]), 'mixed')
  assert.equal(outcomeOf([t(0, 0, 0), t(0, 0, 0)]), 'not-migrated')
  // a lost connection is not a wakeup
  assert.equal(outcomeOf([t(0, 0)]), 'mixed')
})

const probe = (tries: MigrationWakeupTry[] | undefined, skipped: ProbeDoc['skipped'] = []): ProbeDoc => ({
  release: '6.1.0', skipped,
  ...(tries === undefined ? {} : { migrationWakeup: { waitMs: 1000, tries, outcomes: (['epoll', 'blocking-accept'] as const).map(w => ({ waiter: w, outcome: outcomeOf(tries.filter(x => x.waiter === w)) })), sentence: '' } })
} as unknown as ProbeDoc)

test('the study: a kernel without the fix reproduces the claim, one with it contradicts it, one without tcp_migrate_req does not run it', () => {
  const c = { shape: 'migration-wakeup', claim: '', waiter: 'epoll' }
  assert.equal(wakeup.judge(c, { probe: probe([t(0, 8), t(0, 8)]), platform: 'linux' }).finding, 'reproduced')
  const fixed = wakeup.judge(c, { probe: probe([t(8, 0), t(8, 0), t(0, 8, 8, 'blocking-accept')]), platform: 'linux' })
  assert.equal(fixed.finding, 'contradicted')
  assert.match(fixed.measured, /^16 of 16 moved connections accepted within 1000 ms/)
  assert.equal(wakeup.judge({ ...c, waiter: 'blocking-accept' }, { probe: probe([t(8, 0), t(0, 8, 8, 'blocking-accept')]), platform: 'linux' }).finding, 'reproduced')
  const old = wakeup.judge(c, { probe: probe(undefined, [{ rows: 'migration wakeup', reason: 'tcp_migrate_req needs Linux 5.14+; this kernel is 5.10.0-32-amd64' }]), platform: 'linux' })
  assert.equal(old.finding, 'not run')
  assert.match(old.why, /needs Linux 5\.14/)
})
