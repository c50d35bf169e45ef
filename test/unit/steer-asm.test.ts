// The eBPF assembler and disassembler (topology/steer/asm.ts): encodings checked against the kernel's
// documented opcodes (include/uapi/linux/bpf.h, Documentation/bpf/standardization/instruction-set.rst), pure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Assembler, disassemble, PSEUDO } from '../../src/kernel/bpf/asm.js'

const hex = (b: Buffer): string[] => [...Array(b.length / 8).keys()].map(i => b.subarray(i * 8, i * 8 + 8).toString('hex'))

test('the smallest program, r0 = 1; exit, is the bytes the kernel documents', () => {
  const b = new Assembler().aluImm('mov', 0, 1).exit().build()
  assert.deepEqual(hex(b), ['b700000001000000', '9500000000000000'])
})

test('each instruction kind encodes its class, registers (dst low nibble, src high), offset and immediate', () => {
  const b = new Assembler()
    .ldxw(7, 6, 32) // 0x61
    .stxw(10, -4, 9) // 0x63, off -4
    .atomicAddW(8, 4, 1) // 0xc3, imm BPF_ADD
    .aluReg('sub', 3, 4, true) // 0x1c (32-bit)
    .aluImm('arsh', 3, 63) // 0xc7
    .aluImm('xor', 4, -1) // 0xa7, imm -1
    .call(82) // 0x85
    .build()
  assert.deepEqual(hex(b), ['6167200000000000', '639afcff00000000', 'c318040000000000', '1c43000000000000', 'c70300003f000000', 'a7040000ffffffff', '8500000052000000'])
})

test('a 64-bit load takes two slots: a constant, a map fd (src 1) and a map value address (src 2, offset in the second immediate)', () => {
  const b = new Assembler().ld64(0, 0x7fffffffffffffffn).ld64(2, 20, PSEUDO.mapFd).ld64(8, 21, PSEUDO.mapValue, 16).build()
  assert.deepEqual(hex(b), ['18000000ffffffff', '00000000ffffff7f', '1812000014000000', '0000000000000000', '1828000015000000', '0000000010000000'])
  assert.deepEqual(disassemble(b), ['0: r0 = 9223372036854775807 ll', '2: r2 = map[fd 20]', '4: r8 = &map[fd 21][0] + 16'])
})

test('jumps resolve to their labels counted in slots from the next one, across 64-bit loads', () => {
  const a = new Assembler().jmpImm('jge', 9, 3, 'out').ld64(2, 5, PSEUDO.mapFd).goto('out').label('out').exit()
  const b = a.build()
  assert.equal(b.readInt16LE(2), 3, 'over the two-slot load and the goto')
  assert.equal(b.readInt16LE(3 * 8 + 2), 0)
  assert.deepEqual(disassemble(b), ['0: if r9 >= 3 goto 4', '1: r2 = map[fd 5]', '3: goto 4', '4: exit'])
})

test('a jump to a label never defined, or a label defined twice, is refused', () => {
  assert.throws(() => new Assembler().goto('nowhere').build(), /undefined label nowhere/)
  assert.throws(() => new Assembler().label('x').label('x'), /defined twice/)
})

test('the disassembly reads back every instruction kind in the verifier\'s notation', () => {
  const b = new Assembler().aluReg('mov', 6, 1).ldxw(7, 6, 32).aluImm('mul', 9, 4).aluImm('rsh', 9, 32).aluImm('neg', 0, 0)
    .aluImm('mod', 4, 3).stxw(10, -4, 9).atomicAddW(8, 64, 1).jmpImm('jne', 0, 0, 'end').call(82).label('end').exit().build()
  assert.deepEqual(disassemble(b), [
    '0: r6 = r1', '1: r7 = *(u32 *)(r6 + 32)', '2: r9 *= 4', '3: r9 >>= 32', '4: r0 = -r0', '5: r4 %= 3',
    '6: *(u32 *)(r10 - 4) = r9', '7: lock *(u32 *)(r8 + 64) += r1', '8: if r0 != 0 goto 10', '9: call 82', '10: exit'
  ])
})
