// The kernel's UDP table, a line at a time.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { rowOf } from '../../src/kernel/udpTable.js'

test('a row of /proc/net/udp: port, inode, unread bytes and drops (udp6 rows have the same columns)', () => {
  const v4 = '  461: 0100007F:A2C5 00000000:0000 07 00000000:00000340 00:00000000 00000000     0        0 123456 2 0000000000000000 17'
  assert.deepEqual(rowOf(v4), { port: 0xa2c5, inode: '123456', queuedBytes: 0x340, drops: 17 })
  const v6 = '  461: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 99 2 0000000000000000 0'
  assert.deepEqual(rowOf(v6), { port: 8080, inode: '99', queuedBytes: 0, drops: 0 })
  assert.equal(rowOf('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops'), undefined)
  assert.equal(rowOf(''), undefined)
})
