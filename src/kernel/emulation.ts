/**
 * Whether this process runs under user-mode emulation: a Node built for another CPU, started
 * through binfmt_misc by qemu-user (an arm64 Node on an x86-64 kernel). Every instruction is
 * translated, so speed is the emulator's, and each system call passes through the emulator's
 * own translation, which leaves some socket options out (SO_INCOMING_CPU, the reuseport BPF
 * options): a feature missing there may be the emulator's gap, not the kernel's. qemu-user
 * answers uname() and /proc/cpuinfo for the emulated CPU, but not /proc/sys/kernel/arch, which
 * stays the kernel's own.
 */
import { readFileSync } from 'node:fs'

/** The kernel's names for Node's process.arch values. */
const KERNEL_ARCH: Readonly<Record<string, readonly string[]>> = {
  x64: ['x86_64'],
  arm64: ['aarch64', 'arm64'],
  arm: ['armv7l', 'armv6l', 'armv8l', 'arm'],
  ia32: ['i686', 'i586', 'i386', 'x86_64'],
  riscv64: ['riscv64'],
  ppc64: ['ppc64', 'ppc64le'],
  s390x: ['s390x'],
  loong64: ['loongarch64']
}

/** The sentence naming the emulation, or null when the process's CPU is the kernel's (or either is unknown). Pure. */
export function emulationOf (processArch: string, kernelArch: string | null): string | null {
  if (kernelArch === null || kernelArch === '') return null
  const names = KERNEL_ARCH[processArch]
  if (names === undefined || names.includes(kernelArch)) return null
  return `user-mode emulation: Node for ${processArch} on a kernel for ${kernelArch} (qemu-user through binfmt_misc)`
}

let seen: string | null | undefined

/** This process's emulation sentence, or null (read once). */
export function userModeEmulation (): string | null {
  if (seen !== undefined) return seen
  let kernelArch: string | null = null
  try {
    kernelArch = readFileSync('/proc/sys/kernel/arch', 'utf8').trim()
  } catch { /* before Linux 6.1, or not Linux: unknown */ }
  seen = emulationOf(process.arch, kernelArch)
  return seen
}
