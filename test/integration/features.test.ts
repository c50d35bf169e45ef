// The kernel features (kernel/features.ts), tried on this host's kernel: each recorded with what decided
// it, tried once per process, leaving no socket open and the thread's CPUs as they were; the refusal line.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import os from 'node:os'
import { test } from 'node:test'
import { kernelFeature, kernelFeatures, missingFeature, needsLine } from '../../src/kernel/features.js'
import { allowedCpus, capabilities } from '../../src/native/index.js'

const openFds = (): number => readdirSync('/proc/self/fd').length

test('every feature is tried once, leaving no socket open and the CPUs as they were', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  const fds = openFds()
  const cpus = capabilities().cpuAffinity === true ? allowedCpus(0) : []
  const all = kernelFeatures()
  assert.equal(openFds(), fds, 'every socket, epoll set, map and program the probes opened is closed')
  if (cpus.length > 0) assert.deepEqual(allowedCpus(0), cpus, 'the thread pinned for the SO_INCOMING_CPU probe is unpinned')
  assert.deepEqual(kernelFeatures(), all, 'tried once per process')
  assert.equal(kernelFeatures()[0], all[0], 'the same finding, not tried again')
  assert.deepEqual(all.map(f => f.id).sort(), ['ebpf-reuseport', 'epoll-exclusive', 'incoming-cpu-selection', 'reuseport-bpf-detach', 'sock-diag-listeners', 'tcp_migrate_req'])
  for (const f of all) {
    assert.ok(f.found === true || f.found === false || f.found === null, f.id)
    assert.match(f.firstLinux, /^\d+\.\d+(\.\d+)?$/)
    assert.ok(f.detail.length > 0 && !f.detail.includes('\n'), `${f.id}: one line of how it was decided`)
  }
  const migrate = kernelFeature('tcp_migrate_req')
  if (migrate.found !== null && migrate.detail.startsWith('with the sysctl')) assert.match(migrate.detail, /moved (\d+) of \1 queued|moved \d+ of \d+ queued/)
  const cpu = kernelFeature('incoming-cpu-selection')
  if (cpu.found !== null) assert.match(cpu.detail, /^16 connections from CPU \d+: \d+ waited in the socket preferring it, \d+ in the other$/)
})

test('what needs a missing feature is refused in one line naming it and the first kernel with it', () => {
  const line = needsLine({ id: 'tcp_migrate_req', what: 'tcp_migrate_req', firstLinux: '5.14', found: false, detail: 'no /proc/sys/net/ipv4/tcp_migrate_req' })
  assert.equal(line, `tcp_migrate_req needs Linux 5.14+; this kernel is ${os.release()} (no /proc/sys/net/ipv4/tcp_migrate_req)`)
  assert.match(needsLine({ id: 'ebpf-reuseport', what: 'eBPF', firstLinux: '5.5', found: null, detail: 'needs root' }), /; this kernel is .+ \(needs root\)$/)
  for (const f of kernelFeatures()) assert.equal(missingFeature(f.id) === undefined, f.found === true)
})
