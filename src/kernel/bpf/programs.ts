/**
 * The steering programs, assembled (asm.ts) for one group: every policy
 * shares a prologue (count the run, read the connection's hash, find the load
 * map) and an epilogue (select the chosen socket; count it on that socket's
 * slot, or as a fallback when it cannot be selected), and differs only in how
 * it picks the index into r9. Every path is branch-free but for the bounds
 * checks, so the verifier walks each policy in a few paths, whatever the
 * group's size. The program always passes: with nothing selected, the kernel
 * places the connection by its hash, so no connection is lost to the program.
 */
import { Assembler, PSEUDO } from './asm.js'
import type { Reg } from './asm.js'
import { BPF, SLOT_BYTES, TOTAL, WORD } from './layout.js'

/** The fds the program refers to, and the group's size. */
export interface ProgramMaps { sockarrayFd: number, loadFd: number, groupSize: number }

/** How a policy picks: leaves the chosen index in r9. r6 holds the context, r7 the hash, r8 the load map's value. */
export type PolicyBody = (a: Assembler, n: number) => void

const CTX: Reg = 6
const HASH: Reg = 7
const LOADS: Reg = 8
const CHOSEN: Reg = 9

/** dst = reciprocal_scale(src, n): the kernel's own mapping of a 32-bit hash onto n sockets. */
export function scaleHash (a: Assembler, dst: Reg, src: Reg, n: number): void {
  a.aluReg('mov', dst, src).aluImm('mul', dst, n).aluImm('rsh', dst, 32)
}

/**
 * out = the load of the slot at `ptr` (+ `base` bytes): connections sent to it and not yet
 * accepted (at least 0), plus the connections it holds open. Uses `tmp`.
 */
export function loadAt (a: Assembler, out: Reg, ptr: Reg, base: number, tmp: Reg): void {
  a.ldxw(out, ptr, base + WORD.assigned * 4)
    .ldxw(tmp, ptr, base + WORD.accepted * 4)
    .aluReg('sub', out, tmp, true) // 32-bit: counters wrap together
    .aluImm('lsh', out, 32).aluImm('arsh', out, 32) // sign-extend
    .aluReg('mov', tmp, out).aluImm('arsh', tmp, 63).aluImm('xor', tmp, -1).aluReg('and', out, tmp) // below 0 -> 0
    .ldxw(tmp, ptr, base + WORD.open * 4)
    .aluReg('add', out, tmp)
}

/** min = the smaller of min and key, without a branch (both below 2^62). Uses r1 and r2. */
export function keepSmaller (a: Assembler, min: Reg, key: Reg): void {
  a.aluReg('mov', 1, key).aluReg('sub', 1, min) // key - min
    .aluReg('mov', 2, 1).aluImm('arsh', 2, 63) // all ones when key < min
    .aluReg('and', 1, 2).aluReg('add', min, 1)
}

/** ptr = the load map's value + index * SLOT_BYTES, once `index` is checked below n (else to `fail`). */
function slotOf (a: Assembler, ptr: Reg, index: Reg, n: number, fail: string): void {
  a.jmpImm('jge', index, n, fail).aluReg('mov', ptr, index).aluImm('lsh', ptr, 4).aluReg('add', ptr, LOADS)
}

/** hash: the kernel's own choice, made by the program (what the program itself costs). */
export const hashBody: PolicyBody = (a, n) => scaleHash(a, CHOSEN, HASH, n)

/** two-choices: two sockets from the hash (never the same one), the less loaded taken; the first on a tie. */
export const twoChoicesBody: PolicyBody = (a, n) => {
  scaleHash(a, CHOSEN, HASH, n) // first
  a.aluReg('mov', 5, HASH).aluImm('mul', 5, 0x9e3779b1, true) // a second hash (Fibonacci hashing), 32-bit
  scaleHash(a, 5, 5, Math.max(1, n - 1))
  a.aluImm('add', 5, 1).aluReg('add', 5, CHOSEN).aluImm('mod', 5, n) // second: another socket
  slotOf(a, 3, CHOSEN, n, 'fallback')
  loadAt(a, 0, 3, 0, 4)
  a.aluImm('lsh', 0, 1) // key of the first: load << 1
  slotOf(a, 2, 5, n, 'fallback')
  loadAt(a, 3, 2, 0, 4)
  a.aluImm('lsh', 3, 1).aluImm('or', 3, 1) // key of the second: load << 1 | 1
  keepSmaller(a, 0, 3)
  // CHOSEN ^= (first ^ second) & -(key & 1)
  a.aluImm('and', 0, 1).aluImm('neg', 0, 0).aluReg('mov', 1, CHOSEN).aluReg('xor', 1, 5).aluReg('and', 1, 0).aluReg('xor', CHOSEN, 1)
}

/**
 * least-loaded: every socket's load read (unrolled, constant offsets), the least taken; a tie goes
 * to the first at or after the hash's own choice, so equal loads still spread by the hash.
 * Key of socket j: load << 8 | ((j - start) mod n); the smallest key wins.
 */
export const leastLoadedBody: PolicyBody = (a, n) => {
  scaleHash(a, CHOSEN, HASH, n) // start
  a.ld64(0, 0x7fffffffffffffffn)
  for (let j = 0; j < n; j++) {
    loadAt(a, 3, LOADS, j * SLOT_BYTES, 4)
    a.aluImm('mov', 4, n + j).aluReg('sub', 4, CHOSEN).aluImm('mod', 4, n) // (j - start) mod n
    a.aluImm('lsh', 3, 8).aluReg('or', 3, 4)
    keepSmaller(a, 0, 3)
  }
  a.aluImm('and', 0, 0xff).aluReg('add', 0, CHOSEN).aluImm('mod', 0, n).aluReg('mov', CHOSEN, 0)
}

/** The whole program for `body` over these maps, encoded. */
export function assembleProgram (body: PolicyBody, m: ProgramMaps): Buffer {
  const n = m.groupSize
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError(`groupSize must be an integer from 1 to 256, got ${n}`)
  const total = n * SLOT_BYTES
  const a = new Assembler()
  a.aluReg('mov', CTX, 1)
    .ldxw(HASH, CTX, BPF.mdHash)
    .ld64(LOADS, m.loadFd, PSEUDO.mapValue, 0)
    .aluImm('mov', 1, 1).atomicAddW(LOADS, total + TOTAL.runs * 4, 1)
  body(a, n)
  a.jmpImm('jge', CHOSEN, n, 'fallback')
    .stxw(10, -4, CHOSEN)
    .aluReg('mov', 1, CTX)
    .ld64(2, m.sockarrayFd, PSEUDO.mapFd)
    .aluReg('mov', 3, 10).aluImm('add', 3, -4)
    .aluImm('mov', 4, 0)
    .call(BPF.helperSkSelectReuseport)
    .jmpImm('jne', 0, 0, 'fallback')
  slotOf(a, 2, CHOSEN, n, 'fallback')
  a.aluImm('mov', 1, 1).atomicAddW(2, WORD.assigned * 4, 1).goto('pass')
  a.label('fallback').aluImm('mov', 1, 1).atomicAddW(LOADS, total + TOTAL.fallbacks * 4, 1)
  a.label('pass').aluImm('mov', 0, BPF.skPass).exit()
  return a.build()
}
