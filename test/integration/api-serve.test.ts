// The API's serve is resolved and checked as `reuseport-bench serve` and a run are (engine/session.ts
// listenersHere): a port another process holds is refused naming the holder, CPUs the host does not
// allow are bad input, and listeners that start serve real connections and report them.
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { test } from 'node:test'
import { serve } from '../../src/api/index.js'
import { UsageError } from '../../src/errors.js'

test('a port held by another process is refused before any listener starts, naming the holder', async () => {
  const holder = net.createServer()
  await new Promise<void>(resolve => holder.listen(0, '127.0.0.1', resolve))
  const port = (holder.address() as net.AddressInfo).port
  try {
    await assert.rejects(serve({ mode: 'reuseport', workers: 2, port }), (e: unknown) => e instanceof UsageError && new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use by pid ${process.pid}`).test(e.message))
  } finally {
    holder.close()
  }
})

test('CPUs this host does not allow are bad input', async () => {
  await assert.rejects(serve({ mode: 'reuseport', workers: 2, cpus: [4095] }), UsageError)
})

test('listeners that start serve connections and report them; stop gives their final figures', { timeout: 60_000 }, async () => {
  const s = await serve({ mode: 'shared', workers: 2 })
  try {
    for (let i = 0; i < 4; i++) {
      await new Promise<void>((resolve, reject) => http.get({ host: '127.0.0.1', port: s.port, agent: false }, res => { res.resume(); res.on('end', resolve) }).on('error', reject))
    }
    assert.equal(s.pids.size, 2)
  } finally {
    const final = await s.stop()
    assert.equal(final.reduce((a, x) => a + x.stats.requests, 0), 4)
  }
})
