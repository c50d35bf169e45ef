// Control requests checked before anything is done with them (remote/check.ts),
// and transport prefixes split into words (remote/transport.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkLoadRequest } from '../../src/load/requestCheck.js'
import { checkServerRequest } from '../../src/topology/serverCheck.js'
import { controlArgv, splitWords } from '../../src/remote/transport.js'
import { UsageError } from '../../src/errors.js'

const listeners = { mode: 'reuseport', workers: 2, host: '127.0.0.1', port: 0, backlog: 511, instrument: true, workUs: 0, label: 'x' }
const spec = { driver: 'autocannon', host: '10.0.0.1', port: 8080, connections: 10, durationSec: 2, churn: 0, rate: 0 }

test('server requests: the known operations with their fields pass, typed', () => {
  assert.deepEqual(checkServerRequest({ op: 'hello' }), { op: 'hello' })
  assert.deepEqual(checkServerRequest({ op: 'stats', withinMs: 500 }), { op: 'stats', withinMs: 500 })
  assert.deepEqual(checkServerRequest({ op: 'sample', sampleMs: 20 }), { op: 'sample', sampleMs: 20 })
  const start = checkServerRequest({ op: 'start', withinMs: 9000, listeners })
  assert.equal(typeof start === 'object' && start.op === 'start' && start.listeners.mode, 'reuseport')
})

test('server requests: unknown operations, bad fields and other shapes are refused with a line saying what', () => {
  assert.match(String(checkServerRequest({ op: 'exec', cmd: 'rm -rf /' })), /^unknown operation 'exec'; this side takes hello, clock, status, start/)
  assert.match(String(checkServerRequest('start')), /^unknown operation \(none\)/)
  assert.match(String(checkServerRequest([])), /^unknown operation/)
  assert.equal(checkServerRequest({ op: 'stats' }), 'stats: bad or missing withinMs')
  assert.equal(checkServerRequest({ op: 'start', withinMs: 1000, listeners: { ...listeners, mode: 'nope', workers: 0, port: 70000 } }), 'start: bad or missing mode, workers, port')
  assert.equal(checkServerRequest({ op: 'start', withinMs: 1000, listeners: { ...listeners, handler: 'a\nb' } }), 'start: bad or missing handler')
  assert.equal(checkServerRequest({ op: 'load', spec }), "unknown operation 'load'; this side takes hello, clock, status, start, stats, reset, sample, samples, stop")
})

test('load requests: a load within the limits passes; one outside them, or a server operation, is refused', () => {
  const ok = checkLoadRequest({ op: 'load', spec, sourceAddresses: [], startAtMs: 1 })
  assert.equal(typeof ok === 'object' && ok.op === 'load' && ok.spec.connections, 10)
  assert.equal(checkLoadRequest({ op: 'load', spec: { ...spec, connections: 1e9, driver: 'curl' }, sourceAddresses: [], startAtMs: 1 }), 'load: bad or missing driver, connections')
  assert.equal(checkLoadRequest({ op: 'load', spec, sourceAddresses: 'x', startAtMs: 1 }), 'load: bad or missing sourceAddresses')
  assert.equal(checkLoadRequest({ op: 'load', spec, sourceAddresses: [] }), 'load: bad or missing startAtMs')
  assert.match(String(checkLoadRequest({ op: 'start', listeners })), /^unknown operation 'start'; this side takes hello, clock, status, load$/)
})

test('a transport prefix splits as a shell splits plain quoting, with no expansion', () => {
  assert.deepEqual(splitWords('ssh -p 22 user@host', 'server-via'), ['ssh', '-p', '22', 'user@host'])
  assert.deepEqual(splitWords(`kubectl exec -i 'my pod' -- `, 'x'), ['kubectl', 'exec', '-i', 'my pod', '--'])
  assert.deepEqual(splitWords('a "b \\"c\\"" d\\ e $HOME', 'x'), ['a', 'b "c"', 'd e', '$HOME'])
  assert.deepEqual(splitWords("a '' b", 'x'), ['a', '', 'b'])
  assert.throws(() => splitWords("ssh 'host", 'client-via'), (e: unknown) => e instanceof UsageError && /--client-via 'ssh 'host' has an unclosed ' quote/.test(e.message))
})

test('the remote side is started as PREFIX + remote command + serve|load --control stdio', () => {
  assert.deepEqual(controlArgv('ip netns exec ns1', 'npx reuseport-bench', 'server'), ['ip', 'netns', 'exec', 'ns1', 'npx', 'reuseport-bench', 'serve', '--control', 'stdio'])
  assert.deepEqual(controlArgv('ssh h', 'rb', 'server', '/srv/app.mjs').slice(-4), ['--control', 'stdio', '--handler', '/srv/app.mjs'], 'the run\'s handler is allowed on the server host\'s command line')
  assert.ok(!controlArgv('ssh h', 'rb', 'load', '/srv/app.mjs').includes('--handler'), 'a client host loads no handler')
  const own = controlArgv('vagrant ssh client --', null, 'load')
  assert.deepEqual(own.slice(0, 4), ['vagrant', 'ssh', 'client', '--'])
  assert.equal(own[4], process.execPath)
  assert.equal(own[5], '--max-old-space-size=2048', 'a client host\'s load side is capped in memory')
  assert.match(own[6] ?? '', /bin\/reuseport-bench\.js$/)
  assert.deepEqual(own.slice(7), ['load', '--control', 'stdio'])
})
