// A thread's own CPU clock (proc/threadCpu.ts): a stat line's times in microseconds, and the clock
// of a worker thread, which counts that thread's work and not the others'.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { statUsage } from '../../src/proc/threadCpu.js'

test('utime and stime of a stat line (a name with spaces and parentheses) in microseconds', () => {
  const line = '4242 (node (worker) 1) S 1 2 3 0 -1 4194304 100 0 0 0 37 12 0 0 20 0 8 0 100 1000 10 18446744073709551615'
  assert.deepEqual(statUsage(line), { user: 370_000, system: 120_000 })
  assert.equal(statUsage('garbage'), undefined)
})

test('a worker thread\'s clock counts its own busy work (about all of its process\'s while the main thread waits), and names its thread where /proc does', async () => {
  const url = new URL('../../src/proc/threadCpu.js', import.meta.url).href
  // Spin until the process has used 150 ms of CPU (not wall time: parallel tests share the CPUs), at most 10 s.
  const code = `const { parentPort } = require('node:worker_threads')
import(${JSON.stringify(url)}).then(({ threadClock }) => {
  const c = threadClock(); const a = c.cpu(); const p0 = process.cpuUsage(); const end = Date.now() + 10000
  const used = () => { const p = process.cpuUsage(p0); return p.user + p.system }
  while (used() < 150000 && Date.now() < end) {}
  const b = c.cpu()
  parentPort.postMessage({ tid: c.tid, us: (b.user + b.system) - (a.user + a.system), processUs: used() })
})`
  const w = new Worker(code, { eval: true })
  const got = await new Promise<{ tid?: number, us: number, processUs: number }>((resolve, reject) => { w.once('message', resolve); w.once('error', reject) })
  await w.terminate()
  // /proc counts in 10 ms ticks (Node 20 reads it): 20 ms either way.
  assert.ok(got.us >= got.processUs * 0.6 - 20_000 && got.us <= got.processUs + 20_000, `the thread read ${got.us} us while its process used ${got.processUs} us`)
  if (process.platform === 'linux') assert.ok(got.tid !== undefined && got.tid !== process.pid, `tid ${String(got.tid)}`)
})
