/**
 * `npm run bench:steer`: eBPF reuseport steering (topology/steer) measured by the harness itself, one
 * `run --json` per part, with the default CPU pinning (plan/cpus.ts), every group warmed until steady and
 * the host's speed timed around every cell or slice:
 *   stall. --scenario stall --workers 4 (listener 0 blocks 100 ms every 500 ms, 50 connections, a new
 *      connection per request), hash reuseport, least-loaded, two-choices, shared and cluster, fresh
 *      listeners per cell, BENCH_TRIALS trials (default 8) in a shuffled order: the stalled listener's share
 *      of new connections during its stalls, and the client's p99 and max, each against hash reuseport as
 *      paired trials with 95% intervals. The shape to overturn (Cloudflare 2017): reuseport max 144.55 ms
 *      against one shared queue's 72.65 ms.
 *   cost. least-loaded against hash reuseport with nothing stalled, side by side in 1 s slices, keep-alive
 *      and a new connection per request: req/s ratio with its interval (target >= 0.97x), the load map's
 *      writes per second, and one write's cost timed in a loop on a real mapped map, pinned to one CPU.
 *   Every part ends with a leak check: no program or map of ours left in the kernel.
 * BENCH_SECONDS (default 5 for stall cells, 4x for cost) is the --duration; BENCH_PARTS (default stall,cost) picks parts.
 */
import { execFile } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { median } from '../src/analyse/bootstrap.js'
import { pairedRatio } from '../src/analyse/paired.js'
import { percent } from '../src/numbers.js'
import { bpfMapCreate, bpfMapMmap, bpfMapUnmap, closeSocket, pinThread } from '../src/native/index.js'
import { queuesOf } from '../src/report/kernel.js'
import { table } from '../src/report/terminal.js'
import { steeringObjectsLeft } from '../src/topology/steer/ebpf.js'
import { BPF, loadBytes } from '../src/kernel/bpf/layout.js'
import { LoadSlot } from '../src/topology/steer/loadSlot.js'
import type { PairedRatio, ResultDoc } from '../src/types/docs.js'
import type { ModeRun } from '../src/types/run.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const TRIALS = Number(process.env.BENCH_TRIALS ?? 8)
const PARTS = (process.env.BENCH_PARTS ?? 'stall,cost').split(',')
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = path.join(ROOT, 'bin/reuseport-bench.js')
const execFileP = promisify(execFile)
const say = (s: string): void => { process.stdout.write(s + '\n') }

async function run (flags: string[]): Promise<ResultDoc> {
  const args = [BIN, 'run', ...flags, '--json', '--out', path.join(os.tmpdir(), 'rb-bench-steer')]
  process.stderr.write(`  node bin/reuseport-bench.js run ${flags.join(' ')}\n`)
  const { stdout } = await execFileP(process.execPath, args, { maxBuffer: 256 * 1024 * 1024, timeout: (SECONDS * TRIALS * 12 + 600) * 1000 })
  return JSON.parse(stdout) as ResultDoc
}

const ratio = (p: PairedRatio): string => `${p.ratio.toFixed(3)} [${(p.lo ?? NaN).toFixed(3)}, ${(p.hi ?? NaN).toFixed(3)}] ${p.finding}`

function leaks (): void {
  const left = steeringObjectsLeft()
  say(`  leak check (kernel's programs and maps named as ours): ${left.progs.length} programs, ${left.maps.length} maps left`)
}

/** Ratios of one figure over paired trials of `mode` against `base` (trial t of each), kept rounds only. */
function pairedBy (runs: readonly ModeRun[], mode: string, base: string, f: (r: ModeRun) => number, keep: (r: ModeRun) => boolean): PairedRatio {
  const of = (m: string): Map<number, ModeRun> => new Map(runs.filter(r => r.mode === m && keep(r)).map(r => [r.trial, r]))
  const a = of(mode)
  const b = of(base)
  return pairedRatio([...a.entries()].flatMap(([t, r]) => { const o = b.get(t); return o === undefined ? [] : [f(r) / f(o)] }))
}

/** The accept queues the sampler saw (collect/samplers/queues.ts): listener 0's (or the one shared socket's) and the others', medians over cells of each socket's mean and max. */
function queues (rs: readonly ModeRun[]): string {
  const mine: number[][] = [[], []]
  const rest: number[][] = [[], []]
  for (const r of rs) {
    for (const q of queuesOf(r)?.sockets ?? []) {
      const to = q.listeners.length === 1 && q.listeners[0] !== 0 ? rest : mine
      to[0]?.push(q.mean)
      to[1]?.push(q.max)
    }
  }
  const m = (xs: number[] | undefined): string => xs === undefined || xs.length === 0 ? '-' : median(xs).toFixed(1)
  return `${m(mine[0])} (${m(mine[1])}) / ${m(rest[0])} (${m(rest[1])})`
}

async function stall (): Promise<void> {
  say(`\n== stall: listener 0 blocks 100 ms every 500 ms; 4 listeners, 50 connections, a new connection per request; ${TRIALS} trials of ${SECONDS} s, cells shuffled`)
  const modes = ['reuseport', 'reuseport', 'reuseport', 'shared', 'cluster']
  const doc = await run(['--scenario', 'stall', '--modes', modes.join(','), '--steer', 'reuseport#2=least-loaded,reuseport#3=two-choices', '--workers', '4', '--connections', '50', '--duration', String(SECONDS), '--warmup', '5', '--trials', String(TRIALS)])
  const left = new Set((doc.hostCheck?.leftOut ?? []).map(l => l.trial))
  const keep = (r: ModeRun): boolean => !left.has(r.trial)
  const names: Record<string, string> = { reuseport: 'reuseport (hash)', 'reuseport#2': 'least-loaded', 'reuseport#3': 'two-choices', shared: 'shared', cluster: 'cluster (rr)' }
  const rows = Object.entries(names).map(([m, name]) => {
    const rs = doc.runs.filter(r => r.mode === m && keep(r))
    const shares = rs.map(r => r.scenario.stallShare).filter(s => s !== undefined)
    const q = shares.reduce((a, s) => a + s.queued, 0)
    const o = shares.reduce((a, s) => a + s.opened, 0)
    const vs = (f: (r: ModeRun) => number): string => m === 'reuseport' ? '-' : ratio(pairedBy(doc.runs, m, 'reuseport', f, keep))
    return [name, String(rs.length), shares.length === 0 ? 'n/a' : `${percent(o === 0 ? 0 : q / o)} (${q}/${o})`, queues(rs), median(rs.map(r => r.client.latencyMs.p99)).toFixed(1), median(rs.map(r => r.client.latencyMs.max)).toFixed(1), vs(r => r.client.latencyMs.p99), vs(r => r.client.latencyMs.max), vs(r => r.client.rps)]
  })
  say(table(['mode', 'cells', 'stall share (queued/opened)', 'queue mean (max): listener 0 / others', 'p99 ms (median)', 'max ms (median)', 'p99 / hash', 'max / hash', 'req/s / hash'], rows))
  say(`  ${doc.hostCheck?.statement ?? 'no host check'}`)
  leaks()
}

/** One load-map write's cost: LoadSlot.accepted then closed on a real mapped map, this thread pinned to `cpu`. */
function writeCost (cpu: number): { nsPerWrite: number } {
  pinThread([cpu])
  const fd = bpfMapCreate({ type: BPF.mapArray, keySize: 4, valueSize: loadBytes(4), maxEntries: 1, flags: BPF.fMmapable, name: 'rb_load' })
  const mem = bpfMapMmap(fd, loadBytes(4))
  try {
    const slot = new LoadSlot(mem, 4, 1, process.pid)
    slot.claim(0)
    const n = 5_000_000
    for (let i = 0; i < 100_000; i++) { slot.accepted(); slot.closed() }
    const t0 = performance.now()
    for (let i = 0; i < n; i++) { slot.accepted(); slot.closed() }
    return { nsPerWrite: (performance.now() - t0) * 1e6 / (2 * n) }
  } finally {
    bpfMapUnmap(mem)
    closeSocket(fd)
  }
}

async function cost (): Promise<void> {
  const seconds = SECONDS * 4
  say(`\n== cost: least-loaded against hash reuseport, nothing stalled; 4 listeners, 50 connections, --duration ${seconds} in 1 s slices side by side`)
  const rows: string[][] = []
  for (const [load, churn] of [['keep-alive', '0'], ['new connection per request', '1']] as const) {
    const doc = await run(['--modes', 'reuseport,reuseport', '--steer', 'reuseport#2=least-loaded', '--workers', '4', '--connections', '50', '--duration', String(seconds), '--churn', churn])
    const p = doc.paired?.find(x => x.mode === 'reuseport#2' && x.against === 'reuseport')
    const steered = doc.runs.filter(r => r.mode === 'reuseport#2')
    // Each slice counts its own writes; the map's run count is cumulative since the group started.
    const loaded = steered.reduce((a, r) => a + r.load.durationSec, 0)
    const writes = steered.reduce((a, r) => a + (r.scenario.steer?.program?.updates ?? 0), 0)
    const runs = steered.at(-1)?.scenario.steer?.program?.runs ?? 0
    const perSec = loaded === 0 ? '-' : `${Math.round(writes / loaded).toLocaleString('en-US')}/s (program: ${runs.toLocaleString('en-US')} runs in all)`
    rows.push([load, String(p?.throughput.pairs.length ?? 0), p === undefined ? '-' : ratio(p.throughput), p === undefined ? '-' : ratio(p.p99), perSec, String(doc.hostCheck?.leftOut.length ?? 0)])
    say(`  ${load}: ${doc.hostCheck?.statement ?? 'no host check'}`)
  }
  say(table(['load', 'pairs', 'req/s least-loaded / hash (target >= 0.97)', 'p99 ratio', 'map writes per s of load', 'rounds left out'], rows))
  const costs = [0, 1, 2].map(() => writeCost(0).nsPerWrite)
  say(`  one load-map write (accept or close, a store into the mapped map), pinned to CPU 0, 3 repeats: ${costs.map(c => c.toFixed(1)).join(', ')} ns`)
  leaks()
}

if (PARTS.includes('stall')) await stall()
if (PARTS.includes('cost')) await cost()
