/**
 * `npm run bench:modes`: the modes Node 22-26 added, measured by the harness
 * itself (modes side by side in shuffled rounds of 1 s slices, each group
 * warmed until steady, the host's speed timed around every slice), one
 * `run --json` per part, with the default CPU pinning (plan/cpus.ts):
 *   threads. worker threads against reuseport processes, 4 listeners, 50
 *      connections, keep-alive and a new connection per request: req/s and
 *      p99 ratios with 95% intervals, and resident memory (the one process
 *      against the processes' sum). No target ratio;
 *   bound. bound-socket against reuseport (our addon), on the listeners'
 *      Node BENCH_NODE (default: .cache/node/26, scripts/node-dist.sh 26):
 *      no measurable difference expected;
 *   os. cluster-os with 8 workers and 200 connections, BENCH_TRIALS trials
 *      (default 10) keep-alive and with a new connection per request: the
 *      busiest two workers' share of connections, with its interval, beside
 *      Node's "over 70% ... in just two processes, out of a total of eight".
 * BENCH_SECONDS (default 20) is each part's --duration; BENCH_PARTS (default threads,bound,os) picks parts.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { NODE_CLAIM } from '../src/topology/kinds/cluster.js'
import { table } from '../src/report/terminal.js'
import type { PairedRatio, ResultDoc, SweepCell } from '../src/types/docs.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
const TRIALS = Number(process.env.BENCH_TRIALS ?? 10)
const PARTS = (process.env.BENCH_PARTS ?? 'threads,bound,os').split(',')
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = path.join(ROOT, 'bin/reuseport-bench.js')
const NODE = process.env.BENCH_NODE ?? path.join(ROOT, '.cache/node/26/bin/node')
const execFileP = promisify(execFile)
const say = (s: string): void => { process.stdout.write(s + '\n') }

/** One `run --json` with these flags; its result. */
async function run (flags: string[]): Promise<ResultDoc> {
  const args = [BIN, 'run', ...flags, '--json', '--out', path.join(os.tmpdir(), 'rb-bench-modes')]
  process.stderr.write(`  node bin/reuseport-bench.js run ${flags.join(' ')}\n`)
  const { stdout } = await execFileP(process.execPath, args, { maxBuffer: 256 * 1024 * 1024, timeout: (SECONDS * 8 + 300) * 1000 })
  return JSON.parse(stdout) as ResultDoc
}

const ratio = (p: PairedRatio): string => `${p.ratio.toFixed(3)} [${(p.lo ?? NaN).toFixed(3)}, ${(p.hi ?? NaN).toFixed(3)}] ${p.finding}`
const mib = (c: SweepCell | undefined): string => c?.memory === undefined ? '-' : `${c.memory.rssMiB.median.toFixed(1)} MiB in ${c.memory.processes}`

/** A pair of modes side by side: each load's paired ratios, memory, and the host's statement. */
async function pair (title: string, a: string, b: string, extra: string[]): Promise<void> {
  say(`\n== ${title}: ${a} against ${b}, 4 listeners, 50 connections, --duration ${SECONDS} (1 s slices)`)
  const rows: string[][] = []
  for (const [load, churn] of [['keep-alive', '0'], ['new connection per request', '1']] as const) {
    const doc = await run(['--modes', `${b},${a}`, '--workers', '4', '--connections', '50', '--duration', String(SECONDS), '--churn', churn, ...extra])
    // The plan's order decides a pair's orientation (analyse/paired.ts): b first, so a over b.
    const p = doc.paired?.find(x => x.mode === a && x.against === b)
    const cell = (m: string): SweepCell | undefined => doc.sweep?.find(c => c.mode === m)
    rows.push([load, String(p?.throughput.pairs.length ?? 0), p === undefined ? '-' : ratio(p.throughput), p === undefined ? '-' : ratio(p.p99), mib(cell(a)), mib(cell(b)), String(doc.hostCheck?.leftOut.length ?? 0)])
    say(`  ${load}: ${doc.hostCheck?.statement ?? 'no host check'}`)
  }
  say(table(['load', 'rounds', `req/s ${a}/${b} (95% interval)`, `p99 ${a}/${b} (95% interval)`, `rss ${a}`, `rss ${b}`, 'rounds left out'], rows))
}

/** cluster-os at 8 workers, 200 connections: the busiest two's share of each trial's connections. */
async function clusterOs (): Promise<void> {
  say(`\n== cluster-os (SCHED_NONE), 8 workers, 200 connections, ${TRIALS} trials of ${Math.max(2, Math.round(SECONDS / TRIALS))} s; Node's docs: "${NODE_CLAIM.words}"`)
  const rows: string[][] = []
  for (const [load, churn] of [['keep-alive', '0'], ['new connection per request', '1']] as const) {
    const doc = await run(['--modes', 'cluster-os', '--workers', '8', '--connections', '200', '--trials', String(TRIALS), '--duration', String(Math.max(2, Math.round(SECONDS / TRIALS))), '--churn', churn])
    const b = doc.sweep?.find(c => c.mode === 'cluster-os')?.busiest
    const pc = (x: number): string => `${(x * 100).toFixed(1)}%`
    rows.push([load, String(b?.share.n ?? 0), String(b?.connections ?? 0), b === undefined ? '-' : `${pc(b.share.median)} [${pc(b.share.lo)}, ${pc(b.share.hi)}] (${b.share.method ?? ''})`, b === undefined ? '-' : `${pc(b.random[0])} to ${pc(b.random[1])}`,
      b === undefined ? '-' : b.share.lo > NODE_CLAIM.share ? 'confirms' : b.share.hi < NODE_CLAIM.share ? 'contradicts' : 'cannot tell'])
  }
  say(table(['load', 'trials', 'connections per trial', 'busiest two, median [interval]', 'random placement (95%)', 'Node\'s "over 70%"'], rows))
}

async function main (): Promise<void> {
  say(`bench:modes on ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}; listeners pinned by the default rule`)
  if (PARTS.includes('threads')) await pair('threads', 'threads', 'reuseport', [])
  if (PARTS.includes('bound')) {
    if (existsSync(NODE)) await pair(`bound-socket (listeners on ${NODE})`, 'bound-socket', 'reuseport', ['--node', NODE])
    else say(`\n== bound-socket: skipped, no Node at ${NODE} (scripts/node-dist.sh 26, or BENCH_NODE)`)
  }
  if (PARTS.includes('os')) await clusterOs()
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:modes: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
