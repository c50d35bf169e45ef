/**
 * The kernel matrix's plan and its page (npm run test:kernels): the phases every kernel runs in its guest
 * (scripts/kernels/guest.sh reads them as plan.tsv), each kernel's documents read back from its folder,
 * and the page of what changed between kernels (src/report/kernels.ts) written beside them.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { kernelRows } from '../../src/report/kernels.js'
import type { KernelRow, KernelSide } from '../../src/report/kernels.js'
import { kernelsMarkdown, kernelsPage } from '../../src/report/html/kernelsPage.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { ProbeDoc } from '../../src/types/probe.js'

/** The kernels, by the name test:kernels takes, and the Debian suite whose kernel each is. */
export const KERNELS: ReadonlyArray<{ name: string, suite: string }> = [
  { name: '5.10', suite: 'bullseye' }, { name: '6.1', suite: 'bookworm' }, { name: '6.12', suite: 'trixie' }, { name: 'newest', suite: 'sid' }
]

/**
 * Booted only when named: Ubuntu 22.04's release kernel (5.15.0-25, April 2022), which has tcp_migrate_req
 * and predates the 2026 fix of the migration wakeup, so the measurement is seen to tell the two apart.
 */
export const CONTROLS: ReadonlyArray<{ name: string, suite: string }> = [{ name: 'jammy', suite: 'Ubuntu jammy (release pocket)' }]

/** Short and bounded: 2 listeners, 8 connections, one trial, deadlines x10 for the emulator. */
const SHORT = '--workers 2 --connections 8 --warmup 0 --trials 1 --deadline-scale 10'

/** Each phase: its name, its time limit in the guest (s), and the arguments of reuseport-bench. */
export const PHASES: ReadonlyArray<{ name: string, limitSec: number, args: string }> = [
  { name: 'probe', limitSec: 420, args: 'probe --modes reuseport,shared,cluster --spread 30 --deadline-scale 10 --out /rb-out/probe' },
  { name: 'udp', limitSec: 300, args: `run --protocol udp --modes reuseport,shared,cluster,single,node-reuseport --duration 2 ${SHORT} --out /rb-out/udp` },
  // The linux-udp-hash4 study's pairing: a group that connects a socket to each of 500 flows against one that does not, in cells of 15 s so that
  // most datagrams reach the connected sockets (in 1 s slices under emulation each flow sent one or two, and connecting them was what was measured).
  { name: 'udp-hash4', limitSec: 420, args: 'run --protocol udp --modes reuseport,reuseport#2 --udp-connect-arms reuseport#2 --interleave cells --workers 2 --flows 500 --trials 3 --duration 15 --warmup 0 --pause 0 --deadline-scale 10 --out /rb-out/udp-hash4' },
  { name: 'modes', limitSec: 480, args: `run --modes reuseport,reuseport-plain,shared,cluster,single,node-reuseport,incoming-cpu,threads,bound-socket,cluster-os,cluster-reuseport --duration 2 --queue-sample-ms 250 ${SHORT} --out /rb-out/modes` },
  { name: 'stall', limitSec: 240, args: `run --scenario stall --modes reuseport,shared --duration 3 --queue-sample-ms 250 ${SHORT} --out /rb-out/stall` },
  { name: 'restart', limitSec: 300, args: `run --scenario restart --modes reuseport,shared --duration 4 ${SHORT} --out /rb-out/restart` },
  { name: 'incoming-cpu', limitSec: 180, args: `run --scenario incoming-cpu --duration 2 ${SHORT} --out /rb-out/incoming-cpu` },
  { name: 'steer', limitSec: 180, args: `run --modes reuseport --steer least-loaded --stall 0:100:500 --churn 1 --duration 3 ${SHORT} --out /rb-out/steer` }
]

/** The run phases (each writes a result.json under its folder's latest/). */
export const RUN_PHASES = PHASES.filter(p => p.name !== 'probe').map(p => p.name)

export function writePlan (dir: string): void {
  writeFileSync(path.join(dir, 'plan.tsv'), PHASES.map(p => `${p.name}\t${p.limitSec}\t${p.args}\n`).join(''))
}

const readJson = <T>(file: string): T | undefined => existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as T : undefined
const text = (file: string): string => existsSync(file) ? readFileSync(file, 'utf8').trim() : ''

/** A document behind a `latest` link the guest made (its target is the guest's path, /rb-out/...). */
function latest<T> (dir: string, phase: string, link: string, file: string): T | undefined {
  const at = path.join(dir, phase, link)
  if (!existsSync(path.join(dir, phase))) return undefined
  let target: string
  try {
    target = realpathSync(at)
  } catch {
    return undefined
  }
  return readJson<T>(path.join(dir, phase, path.basename(target), file))
}

/** One kernel's folder, read back. */
export function readSide (dir: string, name: string): KernelSide {
  const results: Record<string, ResultDoc | undefined> = {}
  for (const p of RUN_PHASES) results[p] = latest<ResultDoc>(dir, p, 'latest', 'result.json')
  const probe = latest<ProbeDoc>(dir, 'probe', 'latest-probe', 'probe.json')
  return { name, release: text(path.join(dir, 'release')) || '?', package: text(path.join(dir, 'package')) || '?', ...(probe === undefined ? {} : { probe }), results }
}

/** Each kernel's phases.tsv: phase, exit code, seconds. */
export function readPhases (dir: string): Array<{ phase: string, exit: string, seconds: string }> {
  return text(path.join(dir, 'phases.tsv')).split('\n').filter(l => l !== '').map(l => {
    const [phase = '', exit = '', seconds = ''] = l.split('\t')
    return { phase, exit, seconds }
  })
}

/** Writes kernels.html and kernels.md into `out` for the kernels whose folders are there; the rows. */
export function writePage (out: string, names: readonly string[], how: string): KernelRow[] {
  const sides = names.map(n => readSide(path.join(out, n), n))
  const rows = kernelRows(sides)
  const phases = Object.fromEntries(names.map(n => [n, readPhases(path.join(out, n))]))
  writeFileSync(path.join(out, 'kernels.html'), kernelsPage(sides, rows, { how, phases }))
  writeFileSync(path.join(out, 'kernels.md'), `${kernelsMarkdown(sides, rows)}\n\nAll rows:\n\n${kernelsMarkdown(sides, rows, true)}\n`)
  return rows
}
