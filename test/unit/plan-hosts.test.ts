// The plan's options of a run over several hosts (plan/hosts.ts): the target
// as people write it, the port given once, and CPUs of this host left alone.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseTarget } from '../../src/plan/hosts.js'
import { buildPlan } from '../../src/plan/validate.js'
import { UsageError } from '../../src/errors.js'

test('--target: IPv4 and IPv6, with or without a port', () => {
  assert.deepEqual(parseTarget('10.0.0.5'), { host: '10.0.0.5', port: -1 })
  assert.deepEqual(parseTarget('10.0.0.5:8080'), { host: '10.0.0.5', port: 8080 })
  assert.deepEqual(parseTarget('[fd00::1]:8080'), { host: 'fd00::1', port: 8080 })
  assert.deepEqual(parseTarget('fd00::1'), { host: 'fd00::1', port: -1 })
  assert.equal(parseTarget(undefined), null)
  for (const bad of ['server.example', '10.0.0.5:99999', '10.0.0.5:', 'fd00::1:8080x', '']) {
    assert.throws(() => parseTarget(bad), UsageError, bad)
  }
})

test('a plan over hosts: the listeners bind the target unless --host says otherwise; the port is the target\'s; no CPU of this host is pinned by default', () => {
  const p = buildPlan({ serverVia: 'ssh srv', clientVia: ['ssh a', 'ssh b'], target: '192.0.2.10:8080' })
  assert.equal(p.host, '192.0.2.10')
  assert.equal(p.port, 8080)
  assert.deepEqual(p.target, { host: '192.0.2.10', port: 8080 })
  assert.equal(p.clientCpus, 'all')
  assert.equal(p.listenerCpus, 'all')
  const nat = buildPlan({ serverVia: 'ssh srv', target: '192.0.2.10', host: '0.0.0.0' })
  assert.equal(nat.host, '0.0.0.0')
  assert.deepEqual(nat.target, { host: '192.0.2.10', port: 0 }, 'no port: the server picks one per cell')
  assert.equal(buildPlan({}).target, null)
  assert.throws(() => buildPlan({ serverVia: 'ssh srv', target: '192.0.2.10', listenerCpus: '1' }), /--listener-cpus is not taken by a run over several hosts/)
  assert.throws(() => buildPlan({ clientVia: ["''"], target: '127.0.0.1' }), /--client-via '''' names no command/)
  assert.throws(() => buildPlan({ clientVia: Array.from({ length: 17 }, () => 'env'), target: '127.0.0.1', connections: 100 }), /at most 16 client hosts/)
})
