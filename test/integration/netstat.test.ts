// Kernel counters (collect/samplers/netstat.ts): parsing /proc/net/netstat and
// /proc/net/snmp, deltas, what is missing; a real accept-queue overflow and a
// real full UDP receive buffer, counted by the kernel.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import dgram from 'node:dgram'
import net from 'node:net'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { COUNTERS, counterDeltas, netstatSampler, parseNetstat } from '../../src/collect/samplers/netstat.js'
import { closeSocket, localAddress, openSocket } from '../../src/native/index.js'

const SAMPLE = 'TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 0 7 9\nIpExt: InNoRoutes\nIpExt: 3\n'

test('the TcpExt counters are read by name; IpExt is not mixed in', () => {
  assert.deepEqual(parseNetstat(SAMPLE), { SyncookiesSent: 0, ListenOverflows: 7, ListenDrops: 9 })
})

test('deltas of the recorded counters; those the kernel lacks are listed', () => {
  const d = counterDeltas({ ListenOverflows: 7, ListenDrops: 9 }, { ListenOverflows: 10, ListenDrops: 9 })
  assert.deepEqual(d.deltas, { ListenOverflows: 3, ListenDrops: 0 })
  assert.deepEqual(d.missing, Object.keys(COUNTERS).filter(n => n !== 'ListenOverflows' && n !== 'ListenDrops'))
})

test('an accept queue that overflows is counted by the kernel over the sample', { skip: process.platform !== 'linux' && '/proc/net/netstat is Linux' }, async () => {
  assert.ok('ListenOverflows' in parseNetstat(readFileSync('/proc/net/netstat', 'utf8')))
  const fd = openSocket({ host: '127.0.0.1', port: 0, reuseaddr: true, backlog: 1 })
  const port = localAddress(fd).port
  const end = netstatSampler.begin({ port, pids: [] })
  const clients = Array.from({ length: 6 }, () => net.connect(port, '127.0.0.1').on('error', () => {}))
  try {
    await sleep(300)
    const got = end()
    assert.equal(got?.skipped, undefined)
    assert.ok((got?.deltas.ListenOverflows ?? 0) >= 1, `ListenOverflows +${got?.deltas.ListenOverflows ?? '?'}`)
    assert.ok((got?.deltas.ListenDrops ?? 0) >= (got?.deltas.ListenOverflows ?? 0), 'drops include overflows')
  } finally {
    for (const c of clients) c.destroy()
    closeSocket(fd)
  }
})

test('a UDP run reads the Udp counters: a receive buffer nobody reads overflows and the kernel counts it', { skip: process.platform !== 'linux' && '/proc/net/snmp is Linux' }, async () => {
  assert.ok('RcvbufErrors' in parseNetstat(readFileSync('/proc/net/snmp', 'utf8'), 'Udp'))
  // A datagram socket that is never read: its receive buffer fills, and the rest are dropped.
  const fd = openSocket({ host: '127.0.0.1', port: 0, reuseaddr: true, datagram: true })
  const port = localAddress(fd).port
  const end = netstatSampler.begin({ port, pids: [], protocol: 'udp' })
  const client = dgram.createSocket('udp4')
  try {
    const payload = Buffer.alloc(1000)
    for (let i = 0; i < 2000; i++) await new Promise<void>((resolve, reject) => client.send(payload, port, '127.0.0.1', e => e === null ? resolve() : reject(e)))
    const got = end()
    assert.equal(got?.skipped, undefined)
    assert.deepEqual(Object.keys(got?.deltas ?? {}).sort(), ['InErrors', 'MemErrors', 'NoPorts', 'RcvbufErrors', 'SndbufErrors'], 'the Udp counters, not TcpExt\'s')
    assert.ok((got?.deltas.RcvbufErrors ?? 0) >= 1, `RcvbufErrors +${got?.deltas.RcvbufErrors ?? '?'}`)
    assert.ok((got?.deltas.InErrors ?? 0) >= (got?.deltas.RcvbufErrors ?? 0), 'InErrors include the receive-buffer drops')
  } finally {
    client.close()
    closeSocket(fd)
  }
})
