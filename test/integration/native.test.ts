// The addon against the real kernel, on loopback.
import assert from 'node:assert/strict'
import net from 'node:net'
import { test } from 'node:test'
import { acceptOnce, acceptQueue, acceptWaiter, bpfMapCreate, bpfMapMmap, bpfMapUnmap, capabilities, closeSocket, getOption, localAddress, openSocket, setBlocking } from '../../src/native/index.js'

function acceptCounter (fd: number): { server: net.Server, count: () => number } {
  let n = 0
  const server = net.createServer(s => { n++; s.end() })
  server.listen({ fd })
  return { server, count: () => n }
}

async function connectOnce (port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1')
    c.on('error', reject)
    c.on('close', () => resolve())
    c.resume()
  })
}

test('capabilities says what Linux has', () => {
  const c = capabilities()
  assert.equal(typeof c.SO_REUSEPORT, 'boolean')
  if (process.platform === 'linux') {
    assert.equal(c.SO_REUSEPORT, true)
    assert.equal(c.reuseportBalances, true)
  }
})

test('two SO_REUSEPORT sockets on one port both accept', async () => {
  const a = openSocket({ host: '127.0.0.1', port: 0, reuseport: true, backlog: 128 })
  const port = localAddress(a).port
  const b = openSocket({ host: '127.0.0.1', port, reuseport: true, backlog: 128 })
  assert.equal(getOption(a, 'SO_REUSEPORT'), 1)
  assert.equal(getOption(b, 'SO_ACCEPTCONN'), 1)
  const sa = acceptCounter(a)
  const sb = acceptCounter(b)
  try {
    for (let i = 0; i < 64; i++) await connectOnce(port)
    // 64 connections from distinct source ports hash over both sockets; one
    // socket getting none has probability 2^-63.
    assert.equal(sa.count() + sb.count(), 64)
    assert.ok(sa.count() > 0 && sb.count() > 0, `distribution ${sa.count()}/${sb.count()}`)
  } finally {
    sa.server.close()
    sb.server.close()
  }
})

test('bind without SO_REUSEPORT on a taken port fails with EADDRINUSE, naming the call', () => {
  const a = openSocket({ host: '127.0.0.1', port: 0, reuseport: true, backlog: 16 })
  const port = localAddress(a).port
  try {
    assert.throws(() => openSocket({ host: '127.0.0.1', port, reuseaddr: true, backlog: 16 }), (e: NodeJS.ErrnoException) => {
      assert.equal(e.code, 'EADDRINUSE')
      assert.equal(e.syscall, 'bind')
      assert.match(e.message, new RegExp(`^bind 127\\.0\\.0\\.1:${port}: EADDRINUSE`))
      return true
    })
  } finally {
    closeSocket(a)
  }
})

test('bind only (no listen): a second bind-only socket with SO_REUSEADDR succeeds on Linux', () => {
  const a = openSocket({ host: '127.0.0.1', port: 0, reuseaddr: true })
  const port = localAddress(a).port
  assert.equal(getOption(a, 'SO_ACCEPTCONN'), 0)
  try {
    if (process.platform === 'linux') {
      const b = openSocket({ host: '127.0.0.1', port, reuseaddr: true })
      closeSocket(b)
    }
  } finally {
    closeSocket(a)
  }
})

test('an address not on this machine fails with EADDRNOTAVAIL', () => {
  assert.throws(() => openSocket({ host: '192.0.2.1', port: 0 }), { code: 'EADDRNOTAVAIL' })
})

test('IPv6 with V6ONLY read back', (t) => {
  let fd: number
  try {
    fd = openSocket({ host: '::1', port: 0, v6only: true, reuseport: true, backlog: 4 })
  } catch (e) {
    t.skip(`no IPv6 loopback here: ${(e as Error).message}`)
    return
  }
  assert.equal(getOption(fd, 'IPV6_V6ONLY'), 1)
  assert.equal(localAddress(fd).family, 6)
  closeSocket(fd)
})

test('bad arguments are TypeErrors, not crashes', () => {
  assert.throws(() => openSocket({ host: 'not-an-ip', port: 0 }), TypeError)
  assert.throws(() => openSocket({ host: '127.0.0.1', port: 70000 }), TypeError)
  assert.throws(() => closeSocket(-1), TypeError)
  assert.throws(() => getOption(1_000_000, 'SO_REUSEADDR'), { code: 'EBADF' })
})

test('acceptOnce: a blocking accept() and an EPOLLEXCLUSIVE wait each take one connection; the wrong blocking mode is refused, not spun on', async () => {
  const fd = openSocket({ host: '127.0.0.1', port: 0, backlog: 8 })
  try {
    const { port } = localAddress(fd)
    setBlocking(fd, true)
    assert.throws(() => acceptWaiterOnce(fd), /non-blocking socket/)
    const first = acceptOnce(fd)
    const c1 = net.connect(port, '127.0.0.1')
    await first
    c1.destroy()
    setBlocking(fd, false)
    assert.throws(() => { void acceptOnce(fd) }, /blocking accept\(\) needs a blocking socket/)
    const ep = acceptWaiter(fd)
    try {
      const second = acceptOnce(fd, ep)
      const c2 = net.connect(port, '127.0.0.1')
      await second
      c2.destroy()
    } finally {
      closeSocket(ep)
    }
  } finally {
    closeSocket(fd)
  }
})

/** An EPOLLEXCLUSIVE wait on a blocking socket: refused before it starts. */
function acceptWaiterOnce (fd: number): void {
  const ep = acceptWaiter(fd)
  try {
    void acceptOnce(fd, ep)
  } finally {
    closeSocket(ep)
  }
}

test('acceptQueue reads a listening socket\'s own queue: connections the kernel accepted that nobody took yet', { skip: process.platform !== 'linux' }, async () => {
  const fd = openSocket({ host: '127.0.0.1', port: 0, backlog: 16 })
  const port = localAddress(fd).port
  const clients: net.Socket[] = []
  try {
    assert.deepEqual(acceptQueue(fd), { queued: 0, backlog: 16 })
    for (let i = 0; i < 3; i++) clients.push(await new Promise<net.Socket>((resolve, reject) => { const c = net.connect(port, '127.0.0.1', () => resolve(c)); c.on('error', reject) }))
    assert.equal(acceptQueue(fd).queued, 3)
  } finally {
    for (const c of clients) c.destroy()
    closeSocket(fd)
  }
  assert.throws(() => acceptQueue(fd), { code: 'EBADF' })
})

test('an mmap\'d BPF array is memory both ways, and unmapping it detaches the buffer (root: CAP_BPF)', { skip: process.platform !== 'linux' || process.getuid?.() !== 0 }, () => {
  const fd = bpfMapCreate({ type: 2, keySize: 4, valueSize: 64, maxEntries: 1, flags: 1 << 10, name: 'rb_test' })
  try {
    const a = bpfMapMmap(fd, 64)
    const b = bpfMapMmap(fd, 64)
    new Uint32Array(a)[3] = 42
    assert.equal(new Uint32Array(b)[3], 42, 'two mappings of one map see the same values')
    bpfMapUnmap(a)
    assert.equal(a.byteLength, 0, 'detached')
    assert.throws(() => bpfMapUnmap(a), TypeError)
    bpfMapUnmap(b)
  } finally {
    closeSocket(fd)
  }
  assert.throws(() => bpfMapCreate({ type: 9999, keySize: 4, valueSize: 4, maxEntries: 1, flags: 0, name: 'x' }), { code: 'EINVAL' })
})
