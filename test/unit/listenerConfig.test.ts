// One set of limits (plan/limits.ts) for the plan, a listener's configuration
// (topology/listenerConfig.ts, with the socket sources' shapes) and a remote side's
// requests (remote/check.ts): a stall of 0 ms, for one, is refused by all three.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkListenerConfig } from '../../src/topology/listenerConfig.js'
import { SOCKET_SOURCES } from '../../src/topology/sockets/index.js'
import { checkListenerSpec } from '../../src/topology/serverCheck.js'
import { buildPlan } from '../../src/plan/validate.js'
import { UsageError } from '../../src/errors.js'

const config = { index: 0, mode: 'reuseport', socket: { kind: 'own', host: '127.0.0.1', port: 0, reuseport: true, reuseportLb: false, backlog: 511 }, instrument: true, workUs: 0 }
const spec = { mode: 'reuseport', workers: 2, host: '127.0.0.1', port: 0, backlog: 511, instrument: true, workUs: 0, label: 'x' }

test('a configuration that fits is returned as it is; every socket source is checked by its own shape', () => {
  assert.deepEqual(checkListenerConfig(config), config)
  assert.deepEqual(SOCKET_SOURCES.map(s => s.kind), ['own', 'inherited', 'listen', 'bound', 'handed'])
  assert.match(String(checkListenerConfig({ ...config, socket: { kind: 'inherited', fd: -1, backlog: 5 } })), /^config\.socket\.fd must be a whole number from 0/)
  assert.match(String(checkListenerConfig({ ...config, socket: { kind: 'tcp', host: 'x' } })), /^config\.socket must be an object whose kind is one of own, inherited, listen, bound, handed/)
  assert.match(String(checkListenerConfig({ ...config, socket: { ...config.socket, host: 'a\nb' } })), /^config\.socket\.host must be one line/)
  assert.match(String(checkListenerConfig({ ...config, socket: { kind: 'bound', host: '127.0.0.1', port: 0 } })), /^config\.socket\.backlog /)
  assert.equal(typeof checkListenerConfig({ ...config, socket: { kind: 'handed', port: 8080 } }), 'object')
  assert.match(String(checkListenerConfig({ ...config, socket: { kind: 'handed', port: 70000 } })), /^config\.socket\.port /)
  assert.match(String(checkListenerConfig({ ...config, steer: { kind: 'cpu', groupSize: 0 } })), /^config\.steer\.groupSize must be a whole number from 1/)
})

test('a stall of 0 ms is refused by the plan, by a listener and by a server host alike; 1 ms is taken by all three', () => {
  assert.throws(() => buildPlan({ stall: '0:0:500' }), (e: unknown) => e instanceof UsageError && /--stall needs 0 < FOR_MS/.test(e.message))
  assert.match(String(checkListenerConfig({ ...config, stall: { forMs: 0, everyMs: 500 } })), /^config\.stall\.forMs must be a number above 0/)
  assert.equal(checkListenerSpec({ ...spec, stall: { index: 0, forMs: 0, everyMs: 500 } }), 'start: bad or missing stall')
  assert.equal(buildPlan({ stall: '0:1:500' }).stall?.forMs, 1)
  assert.equal(typeof checkListenerConfig({ ...config, stall: { forMs: 1, everyMs: 500 } }), 'object')
  assert.equal(typeof checkListenerSpec({ ...spec, stall: { index: 0, forMs: 1, everyMs: 500 } }), 'object')
})
