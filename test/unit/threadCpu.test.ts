// A thread's own CPU clock (proc/threadCpu.ts): a stat line's times in microseconds, and the clock
// of a worker thread, which counts that thread's work and not the others'.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { statUsage, threadClock } from '../../src/proc/threadCpu.js'

test('utime and stime of a stat line (a name with spaces and parentheses) in microseconds', () => {
  const line = '4242 (node (worker) 1) S 1 2 3 0 -1 4194304 100 0 0 0 37 12 0 0 20 0 8 0 100 1000 10 18446744073709551615'
  assert.deepEqual(statUsage(line), { user: 370_000, system: 120_000 })
  assert.equal(statUsage('garbage'), undefined)
})

test('a worker thread\'s clock counts its own busy work, and names its thread where /proc does', async () => {
  const url = new URL('../../src/proc/threadCpu.js', import.meta.url).href
  const code = `const { parentPort } = require('node:worker_threads')
import(${JSON.stringify(url)}).then(({ threadClock }) => {
  const c = threadClock(); const a = c.cpu(); const end = Date.now() + 200; while (Date.now() < end) {} const b = c.cpu()
  parentPort.postMessage({ tid: c.tid, us: (b.user + b.system) - (a.user + a.system) })
})`
  const w = new Worker(code, { eval: true })
  const got = await new Promise<{ tid?: number, us: number }>((resolve, reject) => { w.once('message', resolve); w.once('error', reject) })
  await w.terminate()
  assert.ok(got.us >= 150_000 && got.us <= 400_000, `200 ms of spinning read as ${got.us} us`)
  if (process.platform === 'linux') assert.ok(got.tid !== undefined && got.tid !== process.pid, `tid ${String(got.tid)}`)
  const mine = threadClock().cpu()
  assert.ok(mine.user >= 0 && mine.system >= 0)
})
