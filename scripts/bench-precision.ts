/**
 * `npm run bench:precision`: asking for a precision on a quiet and on a busy host, measured by the harness
 * itself, one `run --json` per repeat, each with its wall time:
 *   quiet. the README's command with --precision P (BENCH_PRECISION, default 5%), BENCH_REPEATS times
 *      (default 5): every pair's req/s ratio, each run's time against its estimate, and how far each
 *      ratio lies from the pair's median (target: within ±5%);
 *   busy. the same with `taskset -c 0 sh -c 'while :; do :; done'` running throughout (target: every run
 *      answers, within ±10% of the quiet median);
 *   aa. A/A runs (--modes reuseport,reuseport) with the same precision, BENCH_AA times quiet (default 20)
 *      and BENCH_AA_BUSY under the hog (default 10): how many claim a difference (targets: at most 2, at
 *      most 1);
 *   sim. the seeded simulation of the same rules (analyse/simulate.ts): false differences out of 2000.
 * BENCH_PARTS (default quiet,busy,aa,sim) picks parts; BENCH_MAX_TIME (default 5m) is each run's --max-time;
 * BENCH_AA_SEED (default 1) the first A/A run's seed.
 */
import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { falseDifferenceRate } from '../src/analyse/simulate.js'
import type { HostKind } from '../src/analyse/simulate.js'
import { aheadText } from '../src/plan/estimate.js'
import { planFromArgs } from '../src/plan/options.js'
import type { ResultDoc } from '../src/types/docs.js'

const PRECISION = process.env.BENCH_PRECISION ?? '5%'
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5)
const AA = Number(process.env.BENCH_AA ?? 20)
const AA_BUSY = Number(process.env.BENCH_AA_BUSY ?? 10)
const MAX_TIME = process.env.BENCH_MAX_TIME ?? '5m'
/** The first A/A run's seed (runs take the next ones): a later batch goes on where an earlier one stopped. */
const AA_SEED = Number(process.env.BENCH_AA_SEED ?? 1)
const PARTS = (process.env.BENCH_PARTS ?? 'quiet,busy,aa,sim').split(',')
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = path.join(ROOT, 'bin/reuseport-bench.js')
const execFileP = promisify(execFile)
const say = (s: string): void => { process.stdout.write(s + '\n') }
const README = ['--workers', '4', '--connections', '50']

/** One `run --json` with these flags: its result and wall time, seconds. */
async function run (flags: string[]): Promise<{ doc: ResultDoc, sec: number }> {
  const all = [...flags, '--precision', PRECISION, '--max-time', MAX_TIME]
  process.stderr.write(`  node bin/reuseport-bench.js run ${all.join(' ')}\n`)
  const t0 = performance.now()
  const { stdout } = await execFileP(process.execPath, [BIN, 'run', ...all, '--json', '--out', path.join(os.tmpdir(), 'rb-bench-precision')], { maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60_000 })
  return { doc: JSON.parse(stdout) as ResultDoc, sec: (performance.now() - t0) / 1000 }
}

/** Hogs still running: killed however this script ends (a hog left behind would make every later "quiet" run busy). */
const hogs = new Set<ChildProcess>()
process.on('exit', () => { for (const h of hogs) h.kill('SIGKILL') })
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1)))

/** `fn` with a CPU hog pinned to CPU 0 beside it. */
async function withHog<T> (fn: () => Promise<T>): Promise<T> {
  const hog = spawn('taskset', ['-c', '0', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' })
  hogs.add(hog)
  try { return await fn() } finally { hog.kill('SIGKILL'); hogs.delete(hog) }
}

const median = (xs: readonly number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 === 1 ? s[m] ?? NaN : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2 }
const pc = (x: number): string => `${(x * 100).toFixed(1)}%`

/** Repeats of the README's command: each pair's ratios, and the runs' time against the estimate. */
async function repeats (label: string, n: number, around: <T>(f: () => Promise<T>) => Promise<T>): Promise<Map<string, number[]>> {
  const ratios = new Map<string, number[]>()
  const estimate = aheadText(planFromArgs({ workers: '4', connections: '50', precision: PRECISION, 'max-time': MAX_TIME }))
  say(`\n== ${label}: the README's command with --precision ${PRECISION}, ${n} times (the plan says: ${estimate})`)
  for (let i = 1; i <= n; i++) {
    const { doc, sec } = await around(async () => await run(README))
    const stop = doc.precision?.[0]
    for (const p of doc.paired ?? []) ratios.set(`${p.mode}/${p.against}`, [...(ratios.get(`${p.mode}/${p.against}`) ?? []), p.throughput.ratio])
    say(`run ${i}: ${sec.toFixed(0)} s, ${stop?.rounds ?? '?'} rounds, ${stop?.reason ?? '?'}; ${(doc.paired ?? []).map(p => `${p.mode}/${p.against} ${p.throughput.ratio.toFixed(3)} [${p.throughput.lo?.toFixed(3) ?? '-'}, ${p.throughput.hi?.toFixed(3) ?? '-'}]`).join(', ')}; host: ${doc.hostCheck?.statement ?? ''}`)
  }
  for (const [pair, xs] of ratios) {
    const m = median(xs)
    say(`${pair}: median ${m.toFixed(3)}, runs from ${pc(Math.min(...xs) / m - 1)} to ${pc(Math.max(...xs) / m - 1)} of it`)
  }
  return ratios
}

/** A/A runs: how many claim a difference. */
async function aa (label: string, n: number, around: <T>(f: () => Promise<T>) => Promise<T>): Promise<void> {
  let claimed = 0
  for (let i = 1; i <= n; i++) {
    const { doc, sec } = await around(async () => await run(['--modes', 'reuseport,reuseport', ...README, '--seed', String(AA_SEED + i - 1)]))
    const p = doc.paired?.[0]
    const claim = p !== undefined && (p.throughput.finding === 'higher' || p.throughput.finding === 'lower')
    if (claim) claimed++
    say(`A/A ${label} ${i}: ${sec.toFixed(0)} s, ${p?.throughput.ratio.toFixed(3) ?? '?'} [${p?.throughput.lo?.toFixed(3) ?? '-'}, ${p?.throughput.hi?.toFixed(3) ?? '-'}] ${p?.throughput.finding ?? ''}`)
  }
  say(`A/A ${label}: ${claimed} of ${n} claimed a difference`)
}

const plain = async <T>(f: () => Promise<T>): Promise<T> => await f()
if (PARTS.includes('quiet')) await repeats('quiet', REPEATS, plain)
if (PARTS.includes('busy')) await repeats('busy (a CPU hog on CPU 0)', REPEATS, withHog)
if (PARTS.includes('aa')) { await aa('quiet', AA, plain); await aa('busy', AA_BUSY, withHog) }
if (PARTS.includes('sim')) {
  say('\n== the same rules on simulated A/A hosts (2000 seeded runs each, slice spread 0.08, --precision 5%)')
  for (const host of ['quiet', 'steady', 'drifting', 'bursty'] as HostKind[]) {
    const r = falseDifferenceRate({ host, sliceSd: 0.08, precision: 0.05, rounds: 12, maxRounds: 200 }, 2000, 5)
    say(`${host}: ${r.claimed} of ${r.runs} claimed a difference (${pc(r.rate)}), median ${r.medianRounds} rounds`)
  }
}
