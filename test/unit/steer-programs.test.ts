// The steering programs (topology/steer/programs.ts) run on a small interpreter of the instructions they use,
// with the load map as plain memory and bpf_sk_select_reuseport as a stub: which socket each policy picks for
// given loads and hashes. The kernel's verifier loads them in test/integration/solo/steer.test.ts. Pure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assembleProgram, hashBody, leastLoadedBody, twoChoicesBody } from '../../src/kernel/bpf/programs.js'
import type { PolicyBody } from '../../src/kernel/bpf/programs.js'
import { loadBytes, SLOT_BYTES, TOTAL, WORD } from '../../src/kernel/bpf/layout.js'

const M64 = (1n << 64n) - 1n
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x)

interface Outcome { chosen: number | undefined, verdict: bigint }

/**
 * Runs `prog` for a connection with `hash`. Registers hold unsigned 64-bit values; r8's map value is `mem`;
 * r10's stack is 512 bytes; the helper records the key and answers `select(key)`.
 */
function run (prog: Buffer, hash: number, mem: Buffer, select: (key: number) => number = () => 0): Outcome {
  const r = new Array<bigint>(11).fill(0n)
  const stack = Buffer.alloc(512)
  // Pointers are tagged: ctx (1 << 40), map value (2 << 40), stack (3 << 40), map fd (4 << 40).
  const CTX = 1n << 40n; const VAL = 2n << 40n; const STK = 3n << 40n
  r[1] = CTX; r[10] = STK + 512n
  let chosen: number | undefined
  const at = (addr: bigint): { buf: Buffer, off: number } => {
    if (addr >= STK && addr < STK + 512n) return { buf: stack, off: Number(addr - STK) }
    if (addr >= VAL && addr < VAL + BigInt(mem.length)) return { buf: mem, off: Number(addr - VAL) }
    throw new Error(`access outside memory at ${addr.toString(16)}`)
  }
  for (let pc = 0, steps = 0; steps < 100_000; steps++) {
    const b = pc * 8
    const code = prog.readUInt8(b); const dst = prog.readUInt8(b + 1) & 0xf; const src = prog.readUInt8(b + 1) >> 4
    const off = prog.readInt16LE(b + 2); const imm = prog.readInt32LE(b + 4)
    const cls = code & 7; const op = code & 0xf0
    if (code === 0x18) {
      const hi = prog.readInt32LE(b + 12)
      r[dst] = src === 2 ? VAL + BigInt(hi) : src === 1 ? 4n << 40n : ((BigInt(hi >>> 0) << 32n) | BigInt(imm >>> 0))
      pc += 2
      continue
    }
    if (cls === 4 || cls === 7) {
      const w = cls === 4
      const y = (code & 8) !== 0 ? r[src] ?? 0n : BigInt.asUintN(64, BigInt(imm))
      let x = r[dst] ?? 0n
      const yy = w ? y & 0xffffffffn : y
      const xx = w ? x & 0xffffffffn : x
      const ops: Record<number, () => bigint> = {
        0x00: () => xx + yy, 0x10: () => xx - yy, 0x20: () => xx * yy, 0x40: () => xx | yy, 0x50: () => xx & yy,
        0x60: () => xx << yy, 0x70: () => xx >> yy, 0x80: () => -xx, 0x90: () => xx % yy, 0xa0: () => xx ^ yy, 0xb0: () => yy,
        0xc0: () => BigInt.asUintN(64, s64(xx) >> yy)
      }
      const f = ops[op]
      if (f === undefined) throw new Error(`alu op ${op} at ${pc}`)
      x = f()
      r[dst] = w ? x & 0xffffffffn : x & M64
      pc++
      continue
    }
    if (code === 0x61 && r[src] === CTX) { assert.equal(off, 32, 'the context is read only at hash'); r[dst] = BigInt(hash >>> 0); pc++; continue }
    if (code === 0x61) { const m = at((r[src] ?? 0n) + BigInt(off)); r[dst] = BigInt(m.buf.readUInt32LE(m.off)); pc++; continue }
    if (code === 0x63) { const m = at((r[dst] ?? 0n) + BigInt(off)); m.buf.writeUInt32LE(Number((r[src] ?? 0n) & 0xffffffffn), m.off); pc++; continue }
    if (code === 0xc3) { const m = at((r[dst] ?? 0n) + BigInt(off)); m.buf.writeUInt32LE((m.buf.readUInt32LE(m.off) + Number((r[src] ?? 0n) & 0xffffffffn)) >>> 0, m.off); pc++; continue }
    if (cls === 5) {
      if (op === 0x90) return { chosen, verdict: r[0] ?? 0n }
      if (op === 0x80) {
        const k = at(r[3] ?? 0n)
        chosen = k.buf.readUInt32LE(k.off)
        r[0] = BigInt.asUintN(64, BigInt(select(chosen)))
        pc++
        continue
      }
      const x = r[dst] ?? 0n
      const y = (code & 8) !== 0 ? r[src] ?? 0n : BigInt.asUintN(64, BigInt(imm))
      const taken = op === 0x00 || (op === 0x10 && x === y) || (op === 0x50 && x !== y) || (op === 0x30 && x >= y) || (op === 0xa0 && x < y)
      pc += 1 + (taken ? off : 0)
      continue
    }
    throw new Error(`opcode 0x${code.toString(16)} at ${pc}`)
  }
  throw new Error('did not exit')
}

/** A load map for these slots: [assigned, accepted, open] each. */
function memory (slots: Array<[number, number, number]>): Buffer {
  const m = Buffer.alloc(loadBytes(slots.length))
  slots.forEach(([a, acc, open], i) => {
    m.writeUInt32LE(a >>> 0, i * SLOT_BYTES + WORD.assigned * 4)
    m.writeUInt32LE(acc >>> 0, i * SLOT_BYTES + WORD.accepted * 4)
    m.writeUInt32LE(open, i * SLOT_BYTES + WORD.open * 4)
  })
  return m
}

const prog = (body: PolicyBody, n: number): Buffer => assembleProgram(body, { sockarrayFd: 3, loadFd: 4, groupSize: n })
const scale = (hash: number, n: number): number => Number((BigInt(hash >>> 0) * BigInt(n)) >> 32n)
const word = (m: Buffer, slot: number, w: number): number => m.readUInt32LE(slot * SLOT_BYTES + w * 4)

test('hash picks what the kernel\'s reciprocal_scale of the hash picks, counts the run and the socket, and passes', () => {
  for (const hash of [0, 1, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) {
    const m = memory([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]])
    const o = run(prog(hashBody, 4), hash, m)
    assert.equal(o.chosen, scale(hash, 4))
    assert.equal(o.verdict, 1n)
    assert.equal(word(m, 4, TOTAL.runs), 1)
    assert.equal(word(m, scale(hash, 4), WORD.assigned), 1)
  }
})

test('least-loaded takes the socket with the fewest queued plus open connections, whatever the hash', () => {
  // queued = assigned - accepted: 5, 0, 2, 7; open: 1, 3, 0, 0 -> loads 6, 3, 2, 7
  const slots: Array<[number, number, number]> = [[105, 100, 1], [50, 50, 3], [12, 10, 0], [7, 0, 0]]
  for (const hash of [0, 0x40000000, 0x80000000, 0xc0000000, 0x12345678]) {
    const o = run(prog(leastLoadedBody, 4), hash, memory(slots))
    assert.equal(o.chosen, 2, `hash ${hash.toString(16)}`)
  }
})

test('least-loaded: a tie goes to the first at or after the hash\'s own choice, so equal loads still spread by the hash', () => {
  const idle: Array<[number, number, number]> = [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]
  for (const hash of [0, 0x33333334, 0x66666667, 0x9999999a, 0xcccccccd, 0xffffffff]) {
    assert.equal(run(prog(leastLoadedBody, 5), hash, memory(idle)).chosen, scale(hash, 5))
  }
  // Sockets 1 and 3 tie at the least: from start 2 the next is 3; from start 0, 1.
  const two: Array<[number, number, number]> = [[0, 0, 4], [0, 0, 1], [0, 0, 4], [0, 0, 1], [0, 0, 4]]
  assert.equal(run(prog(leastLoadedBody, 5), 0x66666667, memory(two)).chosen, 3)
  assert.equal(run(prog(leastLoadedBody, 5), 0, memory(two)).chosen, 1)
})

test('a listener that wrote more accepts than the program sent (the kernel\'s fallback placed some) counts as 0 queued, not as negative', () => {
  const o = run(prog(leastLoadedBody, 2), 0, memory([[10, 14, 2], [3, 3, 1]]))
  assert.equal(o.chosen, 1, 'socket 0 is at 0 queued + 2 open, not -4 + 2')
})

test('counters that wrapped past 2^32 still give the right queue (32-bit arithmetic)', () => {
  const o = run(prog(leastLoadedBody, 2), 0, memory([[2, 0xfffffffe, 0], [0, 0, 1]]))
  assert.equal(o.chosen, 1, 'socket 0 has 4 queued across the wrap; socket 1 has a load of 1')
})

test('two-choices takes the less loaded of two different sockets from the hash, the first on a tie', () => {
  const n = 6
  for (let h = 0; h < 200; h++) {
    const hash = Math.floor((h * 0x9e3779b9) % 0x100000000)
    const first = scale(hash, n)
    const loads = [...Array(n).keys()].map(i => (i * 7 + h) % 5)
    const m = memory(loads.map(l => [l, 0, 0]))
    const picked = run(prog(twoChoicesBody, n), hash, m).chosen
    assert.ok(picked !== undefined)
    const second = (first + 1 + scale(Math.imul(hash, 0x9e3779b1) >>> 0, n - 1)) % n
    assert.notEqual(second, first)
    const expected = (loads[second] ?? 0) < (loads[first] ?? 0) ? second : first
    assert.equal(picked, expected, `hash ${hash}`)
  }
})

test('a socket that cannot be selected (gone, or not joined yet) is counted as a fallback and the program still passes', () => {
  const m = memory([[0, 0, 0], [0, 0, 0]])
  const o = run(prog(leastLoadedBody, 2), 0, m, () => -2) // -ENOENT
  assert.equal(o.verdict, 1n, 'SK_PASS: the kernel places it by its hash')
  assert.equal(word(m, 2, TOTAL.fallbacks), 1)
  assert.equal(word(m, 0, WORD.assigned) + word(m, 1, WORD.assigned), 0)
})

test('a group of one always picks socket 0; a group above 256 is refused', () => {
  for (const body of [hashBody, twoChoicesBody, leastLoadedBody]) assert.equal(run(prog(body, 1), 0xabcdef01, memory([[9, 0, 9]])).chosen, 0)
  assert.throws(() => prog(leastLoadedBody, 257), /groupSize must be an integer from 1 to 256/)
})
