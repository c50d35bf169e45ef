// Accept queues from the kernel (collect/samplers/queues.ts, native
// listenQueues), checked against `ss`, the kernel's other reader; and the
// pure parts: owners, percentiles, downsampling.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import net from 'node:net'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { downsample, ownerOf, queuesSampler, socketInodes, summarizeQueue } from '../../src/collect/samplers/queues.js'
import { closeSocket, listenQueues, localAddress, openSocket } from '../../src/native/index.js'

const linux = process.platform === 'linux'
const haveSs = linux && (() => { try { execFileSync('ss', ['-V'], { stdio: 'ignore' }); return true } catch { return false } })()

/** ss -ltnm's Recv-Q, Send-Q and d<N> for the socket listening on `port`. */
function ssListen (port: number): { queued: number, backlog: number, drops: number } {
  const out = execFileSync('ss', ['-ltnmH', `sport = :${port}`], { encoding: 'utf8' })
  const [, recvQ, sendQ] = out.trim().split(/\s+/)
  return { queued: Number(recvQ), backlog: Number(sendQ), drops: Number(/\bd(\d+)\)/.exec(out)?.[1] ?? NaN) }
}

test('a backlog-2 listener that accepts nothing, with 8 connects: the same queue, limit and drops as ss -ltnm', { skip: !haveSs && 'needs Linux and ss (iproute2)' }, async () => {
  const fd = openSocket({ host: '127.0.0.1', port: 0, reuseaddr: true, backlog: 2 })
  const port = localAddress(fd).port
  const clients = Array.from({ length: 8 }, () => net.connect(port, '127.0.0.1').on('error', () => {}))
  try {
    await sleep(300)
    const ours = listenQueues(port)
    const theirs = ssListen(port)
    assert.equal(ours.length, 1)
    assert.deepEqual({ queued: ours[0]?.queued, backlog: ours[0]?.backlog, drops: ours[0]?.drops }, theirs)
    assert.ok(theirs.queued > 0, 'the queue holds connections nobody accepted')
    assert.ok(socketInodes(process.pid).has(ours[0]?.inode ?? -1), 'this process holds the socket')
  } finally {
    for (const c of clients) c.destroy()
    closeSocket(fd)
  }
})

test('the sampler follows a queue over time and puts it to the process holding it', { skip: !linux && 'sock_diag is Linux' }, async () => {
  const fd = openSocket({ host: '127.0.0.1', port: 0, reuseaddr: true, backlog: 16 })
  const port = localAddress(fd).port
  const end = queuesSampler.begin({ port, pids: [process.pid], sampleMs: 10 })
  const clients: net.Socket[] = []
  try {
    for (let i = 0; i < 5; i++) {
      clients.push(net.connect(port, '127.0.0.1').on('error', () => {}))
      await sleep(40)
    }
    const got = end()
    const s = got?.sockets[0]
    assert.equal(got?.sockets.length, 1)
    assert.deepEqual([s?.owner, s?.listeners, s?.backlog, s?.max], ['listener 0', [0], 16, 5])
    assert.ok((s?.series.length ?? 0) >= 10 && s?.series.length === got?.tMs.length, `${s?.series.length ?? 0} samples`)
    assert.ok((s?.series[0] ?? 9) <= 1 && s?.series.at(-1) === 5, `the queue grew: ${s?.series.join(',') ?? ''}`)
  } finally {
    for (const c of clients) c.destroy()
    closeSocket(fd)
  }
  assert.equal(queuesSampler.begin({ port, pids: [], sampleMs: 0 })(), null, 'not sampled when off')
})

test('owners: one listener, several (the shared socket), the cluster primary, nobody known', () => {
  const l = [new Set([10, 11]), new Set([12, 11]), new Set([11])]
  assert.deepEqual(ownerOf(12, l, []), { owner: 'listener 1', listeners: [1] })
  assert.deepEqual(ownerOf(11, l, []), { owner: 'shared by listeners 0, 1, 2', listeners: [0, 1, 2] })
  assert.deepEqual(ownerOf(20, l, [new Set([20])]), { owner: 'the cluster primary', listeners: [] })
  assert.deepEqual(ownerOf(21, l, [new Set([20])]), { owner: 'unknown', listeners: [] })
})

test('a queue is summarized by max, p99 and mean; a long series keeps every peak', () => {
  const base = { owner: 'listener 0', listeners: [0], inode: 1, backlog: 511, seenMs: [0, 90] as [number, number], lastQueued: 2 }
  const q = summarizeQueue(base, [0, 0, 0, 4, 0, 0, 0, 0, 0, 2])
  assert.deepEqual([q.max, q.p99, q.mean], [4, 4, 0.6])
  const closed = summarizeQueue(base, [2, 6, 0, 0], 0, 1)
  assert.deepEqual([closed.max, closed.mean, closed.series], [6, 4, [2, 6, 0, 0]], 'figures only while it existed; the series spans the load')
  const long = Array.from({ length: 1000 }, (_, i) => i === 333 ? 50 : 1)
  const d = downsample(long, 100)
  assert.equal(d.length, 100)
  assert.equal(Math.max(...d), 50)
  assert.deepEqual(downsample([1, 2, 3], 100), [1, 2, 3])
})
