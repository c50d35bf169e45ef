// Which socket option each mode uses is decided from capabilities(), not from the OS name.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { reuseChoice } from '../../src/topology/kinds/index.js'
import type { Capabilities } from '../../src/types/native.js'

const linux: Capabilities = { SO_REUSEPORT: true, SO_REUSEPORT_LB: false, IPV6_V6ONLY: true, SO_ATTACH_REUSEPORT_CBPF: true, reuseportBalances: true }
const freebsd: Capabilities = { SO_REUSEPORT: true, SO_REUSEPORT_LB: true, IPV6_V6ONLY: true, SO_ATTACH_REUSEPORT_CBPF: false, reuseportBalances: false }
const oldBsd: Capabilities = { ...freebsd, SO_REUSEPORT_LB: false }
const none: Capabilities = { ...freebsd, SO_REUSEPORT: false, SO_REUSEPORT_LB: false }

/** The choice with every kernel feature working (the kernel's own tries are the integration tests'). */
const choice = (mode: string, caps: Capabilities): ReturnType<typeof reuseChoice> => reuseChoice(mode, caps, process.version, () => undefined)

test('Linux: reuseport is plain SO_REUSEPORT, reuseport-plain says it is the same', () => {
  assert.equal(choice('reuseport', linux).option, 'SO_REUSEPORT')
  assert.equal(choice('reuseport', linux).note, '')
  assert.match(choice('reuseport-plain', linux).note, /same as reuseport/)
})

test('FreeBSD 12+: reuseport uses SO_REUSEPORT_LB and says so; reuseport-plain keeps plain SO_REUSEPORT', () => {
  const c = choice('reuseport', freebsd)
  assert.deepEqual([c.reuseport, c.reuseportLb, c.option], [false, true, 'SO_REUSEPORT_LB'])
  assert.match(c.note, /does not balance/)
  const p = choice('reuseport-plain', freebsd)
  assert.deepEqual([p.reuseport, p.reuseportLb], [true, false])
  assert.match(p.note, /last socket to bind takes the connections/)
})

test('a BSD without _LB warns; an OS without either refuses with exit code 2', () => {
  assert.match(choice('reuseport', oldBsd).note, /expect one listener to take the connections/)
  assert.throws(() => choice('reuseport', none), (e: unknown) => e instanceof UsageError && e.code === 'RB_UNSUPPORTED')
  assert.throws(() => choice('reuseport-plain', none), UsageError)
  assert.equal(choice('shared', none).option, 'shared fd')
})

test('incoming-cpu asks the kernel check it is given, and says its answer', () => {
  const caps: Capabilities = { ...linux, SO_INCOMING_CPU: true, cpuAffinity: true }
  assert.equal(reuseChoice('incoming-cpu', caps, process.version, () => undefined).option, 'SO_REUSEPORT + SO_INCOMING_CPU')
  const asked: string[] = []
  assert.throws(() => reuseChoice('incoming-cpu', caps, process.version, id => { asked.push(id); return 'this kernel ignores SO_INCOMING_CPU in reuseport selection' }),
    (e: unknown) => e instanceof UsageError && e.code === 'RB_UNSUPPORTED' && e.message === 'incoming-cpu: this kernel ignores SO_INCOMING_CPU in reuseport selection')
  assert.deepEqual(asked, ['incoming-cpu-selection'])
})
