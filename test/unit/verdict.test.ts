import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compareToBaseline } from '../../src/analyse/compare.js'
import { fairness } from '../../src/analyse/fairness.js'
import { placementTest } from '../../src/analyse/placement.js'
import { fairnessSentence, hostLimit, verdict } from '../../src/analyse/verdict.js'
import type { VerdictRun } from '../../src/analyse/verdict.js'
import { UDP_WORDS } from '../../src/analyse/words.js'

const run = (mode: string, accepts: number[], rps: number, p99Ms: number, saturated = false): VerdictRun =>
  ({ mode, workers: accepts.length, rps, p99Ms, fairness: fairness(accepts), placement: placementTest(accepts), accepts: accepts.reduce((a, b) => a + b, 0), churn: 0, saturated })

test('each mode is classified against random hashing, with the range random placement gives; ratios to the baseline say one trial has no interval', () => {
  const runs = [run('reuseport', [12, 13, 12, 13], 9000, 6), run('shared', [10, 1, 0, 39], 10000, 4), run('hashed', [14, 9, 15, 12], 9500, 5)]
  const cmp = compareToBaseline(runs.map(r => ({ mode: r.mode, workers: r.workers, rps: r.rps, p99Ms: r.p99Ms, jain: r.fairness.jain })), 'shared')
  const v = verdict(runs, cmp)
  assert.match(v[0] ?? '', /^reuseport: more even than random placement \(Jain's index 0\.998; uniform random placement of 50 connections on 4 listeners gives 0\.8\d\d to 0\.99\d in 95% of cases; random placement is this even with probability 0\.0\d+\)/)
  assert.match(v[1] ?? '', /^shared: more skewed than random hashing .*busiest process took 78% of 50 connections, 1 process got none\. As published: Google \(LWN 542629\)/)
  assert.match(v[0] ?? '', /Unlike what is published: Google: with SO_REUSEPORT "the distribution is uniform"/)
  assert.doesNotMatch(v[2] ?? '', /published/i, 'no source speaks of this mode')
  const undecided = verdict([run('shared', [14, 9, 15, 12], 1, 1)], [])[0] ?? ''
  assert.match(undecided, /^shared: consistent with random hashing .* Published: Google \(LWN 542629\).*; 50 connections can neither confirm nor rule that out here\.$/)
  assert.match(v[2] ?? '', /^hashed: consistent with random hashing \(Jain's index 0\.9\d\d; uniform random placement/)
  assert.ok(!v.some(s => /most evenly/.test(s)), 'no "most evenly" claim from one trial')
  assert.ok(v.some(s => /reuseport 0\.90x the requests\/s at 1\.50x the client p99.*One trial per mode gives no interval/.test(s)))
})

test('when every mode is consistent with random hashing, the verdict says no mode differs measurably', () => {
  const v = verdict([run('reuseport', [15, 6, 9], 1, 1), run('reuseport-plain', [11, 9, 10], 1, 1)], [])
  assert.ok(v.some(s => /No mode spread connections measurably differently from random hashing/.test(s)), v.join('\n'))
})

test('a UDP run is said in flows and datagrams/s, without the keep-alive sentence', () => {
  const v = verdict([run('reuseport', [18, 12, 20, 14], 30000, 1), run('reuseport-plain', [13, 19, 15, 17], 31000, 1)], [], undefined, UDP_WORDS)
  assert.ok(v.some(s => /No mode spread flows measurably differently from random hashing at this number of flows/.test(s)), v.join('\n'))
  assert.ok(v.some(s => /uniform random placement of 64 flows on 4 listeners/.test(s)), v.join('\n'))
  assert.ok(v.some(s => /Highest throughput in this run: reuseport-plain \(31,000 datagrams\/s\)/.test(s)), v.join('\n'))
  assert.ok(!v.some(s => /keep-alive|connections|req\/s|published/i.test(s)), v.join('\n'))
})

test('names the host limit when listeners and the client outnumber the CPUs', () => {
  const v = verdict([run('single', [40], 70000, 1), run('reuseport', [10, 10, 10, 10], 45000, 2)], [], { cpus: 2 })
  assert.ok(v.some(s => /This host has 2 CPUs: up to 4 listener processes and the load generator shared them/.test(s)), v.join('\n'))
  assert.ok(!verdict([run('reuseport', [10, 10], 1, 1)], [], { cpus: 8 }).some(s => /This host has/.test(s)))
})

test('says when the load generator was the bottleneck', () => {
  const v = verdict([run('reuseport', [5, 5], 1, 1, true), run('shared', [5, 5], 1, 1)], [])
  assert.ok(v.some(s => /90% or more of a CPU core in reuseport/.test(s)))
})

test('single process only: nothing to spread', () => {
  assert.match(verdict([run('single', [50], 1, 1)], [])[0] ?? '', /nothing to spread/)
})

test('a result written before the placement test existed still gets a fairness sentence, without a classification', () => {
  const { placement: _p, ...old } = run('reuseport', [12, 13, 12, 13], 1, 1)
  assert.match(verdict([old], [])[0] ?? '', /^reuseport: Jain's index 0\.998 over 4 processes; the busiest process took 26% of 50 connections\.$/)
})

test('a p-value too small to store reads "below 0.0001", not 0', () => {
  const accepts = [4000, 3000, 3000, 1000]
  const run = { mode: 'shared', workers: 4, rps: 1, p99Ms: 1, fairness: fairness(accepts), placement: placementTest(accepts), accepts: 11000, churn: 1, saturated: false }
  assert.match(fairnessSentence(run), /random placement is this uneven with probability below 0\.0001\)/)
})

test('the host limit counts the CPUs the listeners were pinned to, and says the client had its own', () => {
  assert.equal(hostLimit([4], { cpus: 8 }), undefined, '4 listeners and a client on 8 CPUs: no limit')
  assert.match(hostLimit([4], { cpus: 2 }) ?? '', /^This host has 2 CPUs: up to 4 listener processes and the load generator shared them/)
  assert.match(hostLimit([4], { cpus: 2, pinned: { client: [0], listeners: [1] } }) ?? '', /^The listeners ran on 1 CPU \(1\) and the load generator on its own \(0\): up to 4 listener processes shared it/)
  assert.equal(hostLimit([2], { cpus: 4, pinned: { client: [0], listeners: [1, 2, 3] } }), undefined)
  // The load from other machines: the server host's CPUs are the listeners' alone.
  assert.equal(hostLimit([2], { cpus: 2, clientElsewhere: true }), undefined)
  assert.match(hostLimit([4], { cpus: 2, clientElsewhere: true }) ?? '', /^The server host has 2 CPUs: up to 4 listener processes shared them \(the load came from other machines\)/)
})
