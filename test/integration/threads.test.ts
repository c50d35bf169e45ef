// A load split over client threads (load/threads.ts) against real
// listeners: every thread loads, and the merged counts are exact.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runThreaded, threadSpecs } from '../../src/load/threads.js'
import { ListenerGroup } from '../../src/topology/group.js'
import { allowedCpus, capabilities } from '../../src/native/index.js'
import type { LoadSpec } from '../../src/types/load.js'

test('connections and rate are shared out, one thread each', () => {
  const spec: LoadSpec = { driver: 'paced', host: '127.0.0.1', port: 1, connections: 10, durationSec: 1, churn: 0, rate: 1001, threads: 3 }
  const s = threadSpecs(spec, 3)
  assert.deepEqual(s.map(x => [x.connections, x.rate, x.threads]), [[4, 334, 1], [3, 334, 1], [3, 333, 1]])
})

for (const driver of ['autocannon', 'paced']) {
  test(`${driver} on 2 threads against 2 listeners: the client's responses and connections match what the listeners counted`, async () => {
    const g = await ListenerGroup.start({ mode: 'reuseport', workers: 2, host: '127.0.0.1', port: 0, backlog: 511, instrument: true })
    try {
      await g.request('reset')
      const ticks: number[] = []
      const r = await runThreaded({ driver, host: '127.0.0.1', port: g.port, connections: 6, durationSec: 2.2, churn: 0, rate: driver === 'paced' ? 600 : 0, threads: 2 }, [], (_s, n) => ticks.push(n))
      const stats = await g.request('stats')
      const accepts = stats.reduce((a, s) => a + s.stats.accepts, 0)
      const served = stats.reduce((a, s) => a + s.stats.requests, 0)
      assert.equal(r.connectionsOpened, 6, 'both threads opened their connections')
      assert.equal(accepts, 6)
      assert.ok(served - r.responses >= 0 && served - r.responses <= 6, `listeners served ${served}, the client got ${r.responses}: at most one in flight per connection`)
      assert.equal(r.byListener.reduce((a, b) => a + b.responses, 0), r.responses, 'every response attributed, merged per listener')
      assert.equal(r.latencyMs.count, r.responses, 'the merged histogram holds every response')
      assert.ok(ticks.length >= 1 && (ticks[ticks.length - 1] ?? 0) > 0, 'ticks carry the threads\' responses')
      if (driver === 'paced') {
        // The schedule is exact; how much of it a busy host gets through is not. What is short must be
        // accounted for: every scheduled request was answered, never sent, or in flight at the stop.
        const p = r.paced
        assert.equal(p?.intended, 1320, '600 req/s for 2.2 s, shared by the threads')
        const inFlight = 1320 - (p?.unsent ?? 0) - r.responses
        assert.ok(inFlight >= 0 && inFlight <= 6, `${r.responses} answered and ${p?.unsent ?? 0} never sent of 1,320: the rest (${inFlight}) must be at most one in flight per connection`)
        assert.equal(r.sent, 1320 - (p?.unsent ?? 0), 'sent is what was scheduled less what never went')
        assert.ok(r.responses >= 1320 / 2, `${r.responses} of 1,320: the threads carried the load`)
      }
      assert.equal(r.cpu.loopUtilization?.length, 2, "each thread's event-loop utilization")
      const cpus = capabilities().cpuAffinity === true ? allowedCpus() : []
      if (cpus.length >= 2) assert.deepEqual(r.cpu.placement?.map(p => p.cpus), [[cpus[0]], [cpus[1]]], 'the threads spread over the CPUs, one each, and say so')
    } finally {
      await g.stop()
    }
  })
}
