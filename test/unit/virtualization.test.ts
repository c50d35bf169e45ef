import assert from 'node:assert/strict'
import { test } from 'node:test'
import { classifyVirtualization } from '../../src/collect/samplers/virtualization.js'
import { emulationOf } from '../../src/kernel/emulation.js'

const flags = ['fpu', 'sse4_2', 'popcnt']

test('no hypervisor flag: bare metal', () => {
  const v = classifyVirtualization({ cpuFlags: flags, dmiVendor: 'Dell Inc.', clocksources: ['tsc', 'hpet'] })
  assert.equal(v.kind, 'none')
  assert.match(v.evidence, /no hypervisor flag; DMI vendor Dell Inc\./)
})

test('QEMU without kvm-clock: emulated (TCG), as a Debian guest under libvirt type qemu reads', () => {
  // what the guest of scripts/vagrant/e2e.sh read: flags with hypervisor, DMI QEMU, clocksources hpet and acpi_pm
  const v = classifyVirtualization({ cpuFlags: [...flags, 'hypervisor'], dmiVendor: 'QEMU', clocksources: ['hpet', 'acpi_pm'] })
  assert.equal(v.kind, 'emulated')
  assert.equal(v.evidence, 'hypervisor flag; DMI vendor QEMU; no kvm-clock (hpet, acpi_pm)')
})

test('QEMU with kvm-clock is a KVM guest, not emulated; a guest with no DMI is virtual', () => {
  assert.equal(classifyVirtualization({ cpuFlags: [...flags, 'hypervisor'], dmiVendor: 'QEMU', clocksources: ['kvm-clock', 'tsc'] }).kind, 'virtual')
  // this host: a hypervisor flag, no DMI, kvm-clock
  const host = classifyVirtualization({ cpuFlags: ['hypervisor'], dmiVendor: null, clocksources: ['tsc', 'kvm-clock'] })
  assert.deepEqual(host, { kind: 'virtual', evidence: 'hypervisor flag; no DMI vendor; kvm-clock' })
})

test('unreadable inputs never claim emulation', () => {
  assert.equal(classifyVirtualization({ cpuFlags: null, dmiVendor: 'QEMU', clocksources: [] }).kind, 'unknown')
  assert.equal(classifyVirtualization({ cpuFlags: ['hypervisor'], dmiVendor: 'QEMU', clocksources: null }).kind, 'virtual')
})

test('a process under user-mode emulation is emulated, whatever the machine under it', () => {
  const line = emulationOf('arm64', 'x86_64')
  assert.equal(line, 'user-mode emulation: Node for arm64 on a kernel for x86_64 (qemu-user through binfmt_misc)')
  assert.equal(classifyVirtualization({ userMode: line, cpuFlags: ['fpu'], dmiVendor: null, clocksources: null }).kind, 'emulated')
  assert.equal(emulationOf('x64', 'x86_64'), null)
  assert.equal(emulationOf('arm64', 'aarch64'), null)
  assert.equal(emulationOf('arm64', null), null, 'a kernel that does not say (before 6.1) is not taken for emulation')
})
