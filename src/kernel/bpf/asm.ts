/**
 * A small eBPF assembler and disassembler (pure: no kernel, no addon). A
 * steering program is written with the builder below, its jumps to named
 * labels, and encoded to the kernel's 8-byte instruction format (struct
 * bpf_insn: opcode, dst and src registers in one byte, a 16-bit offset and a
 * 32-bit immediate; a 64-bit load takes two slots). `disassemble` reads the
 * bytes back in the kernel verifier's notation, which `--dump-steering`
 * prints. Opcodes are from include/uapi/linux/bpf.h and bpf_common.h.
 */

/** Registers r0 to r10 (r10 the read-only frame pointer). */
export type Reg = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10

const CLASS = { ld: 0x00, ldx: 0x01, stx: 0x03, alu: 0x04, jmp: 0x05, alu64: 0x07 } as const
const SIZE = { w: 0x00, dw: 0x18 } as const
const MODE = { imm: 0x00, mem: 0x60, atomic: 0xc0 } as const
const SRC = { k: 0x00, x: 0x08 } as const

export const ALU_OPS = { add: 0x00, sub: 0x10, mul: 0x20, div: 0x30, or: 0x40, and: 0x50, lsh: 0x60, rsh: 0x70, neg: 0x80, mod: 0x90, xor: 0xa0, mov: 0xb0, arsh: 0xc0 } as const
export type AluOp = keyof typeof ALU_OPS
export const JMP_OPS = { ja: 0x00, jeq: 0x10, jgt: 0x20, jge: 0x30, jset: 0x40, jne: 0x50, jsgt: 0x60, jsge: 0x70, jlt: 0xa0, jle: 0xb0 } as const
export type JmpOp = keyof typeof JMP_OPS
const CALL = 0x80
const EXIT = 0x90

/** ld_imm64's source register: a plain constant, a map's fd, or the address of a map's value (Linux 5.2+). */
export const PSEUDO = { none: 0, mapFd: 1, mapValue: 2 } as const

/** One instruction before encoding; a jump names its label, resolved when the program is built. */
interface Insn { code: number, dst: number, src: number, off: number, imm: number, imm2?: number, label?: string }

/** A program under construction: each method appends one instruction (two for a 64-bit load). */
export class Assembler {
  private readonly insns: Insn[] = []
  private readonly labels = new Map<string, number>()
  private slots = 0

  private push (i: Insn): this {
    this.insns.push(i)
    this.slots += i.imm2 === undefined ? 1 : 2
    return this
  }

  /** dst op= imm (64-bit; `w` for 32-bit, the result zero-extended). */
  aluImm (op: AluOp, dst: Reg, imm: number, w = false): this {
    return this.push({ code: (w ? CLASS.alu : CLASS.alu64) | ALU_OPS[op] | SRC.k, dst, src: 0, off: 0, imm: imm | 0 })
  }

  /** dst op= src (64-bit; `w` for 32-bit). */
  aluReg (op: AluOp, dst: Reg, src: Reg, w = false): this {
    return this.push({ code: (w ? CLASS.alu : CLASS.alu64) | ALU_OPS[op] | SRC.x, dst, src, off: 0, imm: 0 })
  }

  /** dst = a 64-bit value: a constant, or (with `pseudo`) a map's fd or the address of its value at offset `value`. */
  ld64 (dst: Reg, imm: bigint | number, pseudo: number = PSEUDO.none, value = 0): this {
    const v = BigInt.asUintN(64, BigInt(imm))
    const lo = Number(v & 0xffffffffn) | 0
    const hi = pseudo === PSEUDO.mapValue ? value : Number(v >> 32n) | 0
    return this.push({ code: CLASS.ld | SIZE.dw | MODE.imm, dst, src: pseudo, off: 0, imm: lo, imm2: hi })
  }

  /** dst = *(u32 *)(src + off), zero-extended. */
  ldxw (dst: Reg, src: Reg, off: number): this {
    return this.push({ code: CLASS.ldx | SIZE.w | MODE.mem, dst, src, off, imm: 0 })
  }

  /** *(u32 *)(dst + off) = src. */
  stxw (dst: Reg, off: number, src: Reg): this {
    return this.push({ code: CLASS.stx | SIZE.w | MODE.mem, dst, src, off, imm: 0 })
  }

  /** lock *(u32 *)(dst + off) += src (an atomic add, BPF_ATOMIC | BPF_ADD, long known as XADD). */
  atomicAddW (dst: Reg, off: number, src: Reg): this {
    return this.push({ code: CLASS.stx | SIZE.w | MODE.atomic, dst, src, off, imm: ALU_OPS.add })
  }

  /** if (dst op imm) goto label; 'ja' always. */
  jmpImm (op: JmpOp, dst: Reg, imm: number, label: string): this {
    return this.push({ code: CLASS.jmp | JMP_OPS[op] | SRC.k, dst, src: 0, off: 0, imm: imm | 0, label })
  }

  goto (label: string): this {
    return this.jmpImm('ja', 0, 0, label)
  }

  /** Calls kernel helper `id`; arguments in r1 to r5, result in r0, r1 to r5 clobbered. */
  call (id: number): this {
    return this.push({ code: CLASS.jmp | CALL, dst: 0, src: 0, off: 0, imm: id })
  }

  exit (): this {
    return this.push({ code: CLASS.jmp | EXIT, dst: 0, src: 0, off: 0, imm: 0 })
  }

  /** Names the next instruction. */
  label (name: string): this {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`)
    this.labels.set(name, this.slots)
    return this
  }

  /** The instructions encoded, each jump's offset counted in slots from the one after it. */
  build (): Buffer {
    const out = Buffer.alloc(this.slots * 8)
    let at = 0
    for (const i of this.insns) {
      let off = i.off
      if (i.label !== undefined) {
        const to = this.labels.get(i.label)
        if (to === undefined) throw new Error(`jump to undefined label ${i.label}`)
        off = to - (at + 1)
        if (off < -32768 || off > 32767) throw new Error(`jump to ${i.label} is too far (${off} slots)`)
      }
      encode(out, at, i.code, i.dst, i.src, off, i.imm)
      if (i.imm2 !== undefined) encode(out, at + 1, 0, 0, 0, 0, i.imm2)
      at += i.imm2 === undefined ? 1 : 2
    }
    return out
  }
}

function encode (out: Buffer, slot: number, code: number, dst: number, src: number, off: number, imm: number): void {
  const b = slot * 8
  out.writeUInt8(code, b)
  out.writeUInt8(((src & 0xf) << 4) | (dst & 0xf), b + 1)
  out.writeInt16LE(off, b + 2)
  out.writeInt32LE(imm, b + 4)
}

const ALU_SYM: Record<number, string> = { 0x00: '+=', 0x10: '-=', 0x20: '*=', 0x30: '/=', 0x40: '|=', 0x50: '&=', 0x60: '<<=', 0x70: '>>=', 0x90: '%=', 0xa0: '^=', 0xb0: '=', 0xc0: 's>>=' }
const JMP_SYM: Record<number, string> = { 0x10: '==', 0x20: '>', 0x30: '>=', 0x40: '&', 0x50: '!=', 0x60: 's>', 0x70: 's>=', 0xa0: '<', 0xb0: '<=' }

/** One slot's fields. */
function fields (buf: Buffer, slot: number): { code: number, dst: number, src: number, off: number, imm: number } {
  const b = slot * 8
  const regs = buf.readUInt8(b + 1)
  return { code: buf.readUInt8(b), dst: regs & 0xf, src: regs >> 4, off: buf.readInt16LE(b + 2), imm: buf.readInt32LE(b + 4) }
}

function aluText (code: number, dst: number, src: number, imm: number): string {
  const w = (code & 0x07) === CLASS.alu
  const r = (n: number): string => `${w ? 'w' : 'r'}${n}`
  const op = code & 0xf0
  if (op === ALU_OPS.neg) return `${r(dst)} = -${r(dst)}`
  return `${r(dst)} ${ALU_SYM[op] ?? `?${op}`} ${(code & SRC.x) !== 0 ? r(src) : String(imm)}`
}

function jmpText (code: number, dst: number, src: number, off: number, imm: number, slot: number): string {
  const op = code & 0xf0
  const to = `goto ${slot + 1 + off}`
  if (op === CALL) return `call ${imm}`
  if (op === EXIT) return 'exit'
  if (op === JMP_OPS.ja) return to
  return `if r${dst} ${JMP_SYM[op] ?? `?${op}`} ${(code & SRC.x) !== 0 ? `r${src}` : String(imm)} ${to}`
}

/** One line per instruction, numbered by slot: `12: r3 = *(u32 *)(r8 + 16)`. */
export function disassemble (buf: Buffer): string[] {
  const out: string[] = []
  for (let slot = 0; slot < buf.length / 8; slot++) {
    const { code, dst, src, off, imm } = fields(buf, slot)
    const cls = code & 0x07
    const sign = (n: number): string => (n < 0 ? ` - ${-n}` : ` + ${n}`)
    let text: string
    if (code === (CLASS.ld | SIZE.dw | MODE.imm)) {
      const hi = fields(buf, slot + 1).imm
      text = src === PSEUDO.mapFd
        ? `r${dst} = map[fd ${imm}]`
        : src === PSEUDO.mapValue
          ? `r${dst} = &map[fd ${imm}][0]${sign(hi)}`
          : `r${dst} = ${String(BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(imm >>> 0)))} ll`
      out.push(`${slot}: ${text}`)
      slot++
      continue
    }
    if (cls === CLASS.alu || cls === CLASS.alu64) text = aluText(code, dst, src, imm)
    else if (cls === CLASS.jmp) text = jmpText(code, dst, src, off, imm, slot)
    else if (code === (CLASS.ldx | SIZE.w | MODE.mem)) text = `r${dst} = *(u32 *)(r${src}${sign(off)})`
    else if (code === (CLASS.stx | SIZE.w | MODE.mem)) text = `*(u32 *)(r${dst}${sign(off)}) = r${src}`
    else if (code === (CLASS.stx | SIZE.w | MODE.atomic) && imm === ALU_OPS.add) text = `lock *(u32 *)(r${dst}${sign(off)}) += r${src}`
    else text = `.byte 0x${code.toString(16)}`
    out.push(`${slot}: ${text}`)
  }
  return out
}
