// Every kernel we claim, booted for real (npm run test:kernels [-- 5.10 6.1 6.12 newest], outside the
// default suite): Debian's kernels under QEMU with one shared root filesystem, Node and this checkout
// read-only over 9p (scripts/kernels/), and the harness run inside each: the probe, a short run of every
// mode, the scenarios the kernel decides, the samplers. Then one page of what changed between them.
// Skipped, with every missing tool named on one line, where it cannot run. About 6 to 9 min per kernel here.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { CONTROLS, KERNELS, PHASES, readPhases, readSide, writePage, writePlan } from '../../scripts/kernels/matrix.js'
import { accountingCloses } from '../../src/report/kernels.js'
import type { KernelSide } from '../../src/report/kernels.js'
import type { KernelFeature } from '../../src/types/features.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const SCRIPTS = path.join(ROOT, 'scripts', 'kernels')
const GUEST_NODE = '26'
/** One kernel's boot and phases, at most (the guest's own limits per phase are inside it). */
const PER_KERNEL_SEC = 25 * 60

const asked = process.argv.slice(2).filter(a => !a.startsWith('-'))
const known = [...KERNELS, ...CONTROLS].map(k => k.name)
const unknown = asked.filter(a => !known.includes(a))
if (unknown.length > 0) {
  console.error(`test:kernels: unknown kernel ${unknown.join(', ')}; known: ${KERNELS.map(k => k.name).join(', ')}, and the control ${CONTROLS.map(k => k.name).join(', ')}`)
  process.exit(2)
}
const names = asked.length === 0 ? KERNELS.map(k => k.name) : known.filter(n => asked.includes(n))

/** Why this host cannot run the matrix (every missing thing on one line), or undefined. */
function cannotRun (): string | undefined {
  const check = spawnSync('bash', [path.join(SCRIPTS, 'check.sh')], { encoding: 'utf8' })
  const why: string[] = []
  if (check.status !== 0) why.push(check.stdout.trim() || check.stderr.trim())
  if (!existsSync(path.join(ROOT, 'build', 'Release', 'reuseport.node'))) why.push('the addon built on this host (npm install)')
  return why.length === 0 ? undefined : why.join('; ')
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
const out = path.join(ROOT, 'reports', `kernels-${stamp}`)
const why = cannotRun()
let guestNode: string | undefined

const STACK = /^\s+at .+(:\d+:\d+\)?|\(node:.+\))$/m
const featuresOf = (s: KernelSide): KernelFeature[] => s.probe?.host.kernelFeatures ?? []
const found = (s: KernelSide, id: string): boolean | null | undefined => featuresOf(s).find(f => f.id === id)?.found

/** Every line that says why something did not run, from the probe's skipped rows and each result's. */
function reasons (s: KernelSide): string[] {
  return [...(s.probe?.skipped ?? []).map(k => k.reason), ...Object.values(s.results).flatMap(r => (r?.skipped ?? []).map(k => k.reason))]
}

function checkKernel (name: string, dir: string): void {
  const phases = readPhases(dir)
  assert.deepEqual(phases.map(p => p.phase), PHASES.map(p => p.name), `every phase ran on ${name}`)
  for (const p of phases) assert.equal(p.exit, '0', `${name}: ${p.phase} exited ${p.exit} (its output: ${path.join(dir, `${p.phase}.log`)})`)
  for (const f of readdirSync(dir).filter(f => f.endsWith('.log') && f !== 'console.log')) {
    assert.doesNotMatch(readFileSync(path.join(dir, f), 'utf8'), STACK, `${name}: ${f} holds a stack trace`)
  }
  const s = readSide(dir, name)
  assert.ok(s.probe !== undefined, `${name}: the probe wrote probe.json`)
  assert.equal(s.probe.host.release, s.release, `${name}: the probe ran on the booted kernel`)
  assert.equal(s.probe.host.virtualization?.kind, 'emulated', s.probe.host.virtualization?.evidence)
  // The result records the kernel and each feature found, decided by a probe.
  assert.ok(featuresOf(s).length >= 5, `${name}: the features are recorded`)
  for (const r of Object.values(s.results)) {
    assert.ok(r !== undefined, `${name}: every run phase wrote a result`)
    assert.notEqual(r.status, 'partial', `${name}: ${r.failure?.message ?? ''}`)
    assert.equal(r.host.release, s.release)
    for (const run of r.runs) {
      assert.ok(accountingCloses(run), `${name}: ${run.mode}${run.variant ?? ''}: ${run.accounting.note}`)
    }
  }
  // What the kernel lacks is refused in one line naming the feature and the first kernel with it.
  for (const line of reasons(s)) assert.doesNotMatch(line, /\n/, `${name}: a reason is one line`)
  for (const phase of ['modes', 'udp']) {
    const r = s.results[phase]
    for (const m of r?.plan.modes ?? []) {
      const ran = r?.runs.some(x => x.mode === m) === true
      const skipped = r?.skipped?.find(k => k.what === `mode ${m}`)
      assert.ok(ran || skipped !== undefined, `${name}: ${phase}: mode ${m} neither ran nor says why`)
    }
  }
  assert.equal(s.results['udp']?.plan.protocol, 'udp', `${name}: the udp phase ran UDP`)
  const wants: Array<[string, boolean, string | undefined, RegExp]> = [
    ['incoming-cpu-selection', s.results['incoming-cpu']?.runs.some(r => r.mode === 'incoming-cpu') === true, s.results['incoming-cpu']?.skipped?.find(k => k.what === 'mode incoming-cpu')?.reason, /SO_INCOMING_CPU needs Linux 6\.2\+; this kernel is /],
    ['tcp_migrate_req', s.results['restart']?.runs.some(r => r.variant !== undefined) === true, s.results['restart']?.skipped?.find(k => k.what.includes('tcp_migrate_req'))?.reason, /tcp_migrate_req needs Linux 5\.14\+; this kernel is /],
    ['tcp_migrate_req', s.probe.migrationWakeup !== undefined, s.probe.skipped.find(k => k.rows === 'migration wakeup')?.reason, /tcp_migrate_req needs Linux 5\.14\+; this kernel is /],
    ['ebpf-reuseport', s.results['steer']?.runs.some(r => r.scenario.steer !== undefined) === true, s.results['steer']?.skipped?.[0]?.reason, /eBPF steering needs Linux/]
  ]
  for (const [id, ran, reason, line] of wants) {
    if (found(s, id) === true) assert.ok(ran, `${name}: ${id} was found, so what needs it ran (${reason ?? ''})`)
    else assert.match(reason ?? '', line, `${name}: ${id} is missing, so what needs it says why in one line`)
  }
}

test('the kernels can be booted here', { skip: why !== undefined && `cannot run here: ${why}` }, () => {
  const node = spawnSync('bash', [path.join(ROOT, 'scripts', 'node-dist.sh'), GUEST_NODE], { encoding: 'utf8' })
  assert.equal(node.status, 0, `the guest's Node ${GUEST_NODE} from the npm registry: ${node.stderr}`)
  guestNode = node.stdout.trim()
  mkdirSync(out, { recursive: true })
  console.log(`test:kernels: ${names.join(', ')} into ${out}`)
})

for (const name of names) {
  test(`Linux ${name}: booted, every phase run, nothing refused without its reason`, { skip: why !== undefined && `cannot run here: ${why}`, timeout: (PER_KERNEL_SEC + 300) * 1000 }, () => {
    assert.ok(guestNode !== undefined, 'no Node for the guest')
    const dir = path.join(out, name)
    mkdirSync(dir, { recursive: true })
    writePlan(dir)
    for (const step of ['rootfs.sh', 'kernel.sh']) {
      const prep = spawnSync('bash', [path.join(SCRIPTS, step), name], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 600_000 })
      assert.equal(prep.status, 0, `${step} ${name} failed`)
    }
    writeFileSync(path.join(dir, 'package'), readFileSync(path.join(ROOT, '.cache', 'kernels', name, 'package'), 'utf8'))
    const t0 = Date.now()
    const boot = spawnSync('bash', [path.join(SCRIPTS, 'boot.sh'), name, dir, String(PER_KERNEL_SEC)], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, RB_GUEST_NODE_DIR: guestNode }, timeout: (PER_KERNEL_SEC + 60) * 1000, killSignal: 'SIGTERM' })
    console.log(`test:kernels: ${name}: ${Math.round((Date.now() - t0) / 1000)} s from boot to power-off`)
    assert.equal(boot.status, 0, `boot.sh ${name} failed (its console: ${path.join(dir, 'console.log')})`)
    checkKernel(name, dir)
  })
}

test('one page of what changed between the kernels', { skip: why !== undefined && `cannot run here: ${why}` }, () => {
  const done = names.filter(n => existsSync(path.join(out, n, 'phases.tsv')))
  assert.ok(done.length > 0, 'no kernel finished')
  const rows = writePage(out, done, `Debian's kernels (${done.join(', ')}) booted under QEMU (software emulation, 2 vCPUs, 2 GiB), one Debian 12 root filesystem shared read-only, Node ${GUEST_NODE} and this checkout over 9p; the guest has no network card.`)
  console.log(`test:kernels: ${rows.filter(r => r.differs).length} rows differ between kernels; ${path.join(out, 'kernels.html')}`)
  assert.ok(existsSync(path.join(out, 'kernels.html')))
})
