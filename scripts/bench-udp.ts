/**
 * `npm run bench:udp`: the harness's UDP client against a plain outside sender, and datagrams/s per mode.
 *   1. the harness's client (the dgram driver, in its load generator process) and a plain Python sender
 *      (scripts/udp-sender.py: the standard library, one socket per flow, one datagram in flight each),
 *      both closed loop at FLOWS flows (default 64) on the same side-by-side UDP groups (reuseport,
 *      shared), pinned alike (the default rule, proc/cpus.ts): BENCH_ROUNDS rounds (default 8) of
 *      BENCH_SLICE s slices (default 1), at each mode both back to back, which goes first alternating
 *      by round. Per round, each client's reuseport/shared ratio, and the harness's datagrams/s over the
 *      sender's; target: the harness's mode ratio within 10% of the sender's (the client does not decide
 *      the comparison); its own rate beside the sender's is information (a Node client costs more CPU a
 *      datagram than a C loop would, and Python more than both);
 *   2. datagrams/s per mode at FLOWS flows with intervals: `run --protocol udp` of every mode that serves
 *      UDP, side by side, its medians and paired rounds as the harness reports them.
 * Needs python3 and taskset.
 */
import { execFile, execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { median } from '../src/analyse/bootstrap.js'
import { pairedRatio } from '../src/analyse/paired.js'
import { LoadProcess } from '../src/load/process.js'
import { allowedCpus, capabilities } from '../src/native/index.js'
import { cpuListText, resolveCpuSets } from '../src/proc/cpus.js'
import { table } from '../src/report/terminal.js'
import { ListenerGroup } from '../src/topology/group.js'
import type { PairedRatio, ResultDoc } from '../src/types/docs.js'

const FLOWS = Number(process.env.FLOWS ?? 64)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8)
const SLICE = Number(process.env.BENCH_SLICE ?? 1)
const WORKERS = 4
const MODES = ['reuseport', 'shared']
const SENDER = fileURLToPath(new URL('../../scripts/udp-sender.py', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/reuseport-bench.js', import.meta.url))
const canPin = capabilities().cpuAffinity === true
const sets = resolveCpuSets('auto', 'auto', canPin ? allowedCpus() : [], canPin)
const say = (s: string): void => { process.stdout.write(s + '\n') }
const execFileP = promisify(execFile)

type Client = 'harness' | 'python'

/** The plain sender's answered datagrams a second over one slice, pinned to the client's CPUs. */
async function python (port: number): Promise<number> {
  const args = [SENDER, '127.0.0.1', String(port), String(FLOWS), String(SLICE)]
  const cmd = sets.client === null ? ['python3', ...args] : ['taskset', '-c', sets.client.join(','), 'python3', ...args]
  const { stdout } = await execFileP(cmd[0] ?? 'python3', cmd.slice(1), { timeout: SLICE * 1000 + 20_000 })
  const r = JSON.parse(stdout) as { answered: number, seconds: number }
  return r.answered / r.seconds
}

const ci = (p: PairedRatio): string => p.lo === null || p.hi === null ? `${p.ratio.toFixed(3)} (no interval)` : `${p.ratio.toFixed(3)} [${p.lo.toFixed(3)}, ${p.hi.toFixed(3)}]`

/** Part 1: both clients on the same groups, round by round. */
async function clients (): Promise<void> {
  const groups = new Map<string, ListenerGroup>()
  for (const mode of MODES) groups.set(mode, await ListenerGroup.start({ mode, workers: WORKERS, host: '127.0.0.1', port: 0, backlog: 511, instrument: true, protocol: 'udp', ...(sets.listeners === null ? {} : { cpus: sets.listeners }) }))
  const lp = LoadProcess.start(undefined, sets.client)
  const got: Record<Client, Record<string, number[]>> = { harness: {}, python: {} }
  try {
    const harness = async (port: number): Promise<number> => (await lp.run({ driver: 'dgram', host: '127.0.0.1', port, connections: FLOWS, churn: 0, rate: 0, durationSec: SLICE, datagramBytes: 64 }, { name: 'slice', what: 'udp', deadlineMs: SLICE * 1000 + 15_000 })).rps
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const port = groups.get(mode)?.port ?? 0
        const order: Client[] = round % 2 === 0 ? ['harness', 'python'] : ['python', 'harness']
        for (const c of order) (got[c][mode] ??= []).push(c === 'harness' ? await harness(port) : await python(port))
      }
      say(`round ${round + 1}/${ROUNDS}: ${MODES.map(m => `${m} harness ${Math.round(got.harness[m]?.at(-1) ?? 0)} / python ${Math.round(got.python[m]?.at(-1) ?? 0)} datagrams/s`).join('; ')}`)
    }
  } finally {
    await lp.close()
    for (const g of groups.values()) await g.stop(2000)
  }
  const per = (c: Client, m: string): number[] => got[c][m] ?? []
  const modeRatio = (c: Client): PairedRatio => pairedRatio(per(c, 'reuseport').map((x, i) => x / (per(c, 'shared')[i] ?? NaN)))
  const rows = MODES.map(m => [m, Math.round(median(per('harness', m))).toLocaleString('en-US'), Math.round(median(per('python', m))).toLocaleString('en-US'), ci(pairedRatio(per('harness', m).map((x, i) => x / (per('python', m)[i] ?? NaN))))])
  say(`\n== 1. the harness's UDP client against a plain Python sender: ${FLOWS} flows, closed loop, ${ROUNDS} rounds of ${SLICE} s; client CPUs ${sets.client === null ? 'all' : cpuListText(sets.client)}, listeners ${sets.listeners === null ? 'all' : cpuListText(sets.listeners)}`)
  say(table(['mode', 'harness datagrams/s (median)', 'python datagrams/s (median)', 'harness / python, paired (95%)'], rows))
  const h = modeRatio('harness')
  const p = modeRatio('python')
  // Round by round, the harness's mode ratio over the sender's: within 10% only where its whole interval is.
  const off = pairedRatio(per('harness', 'reuseport').map((x, i) => (x / (per('harness', 'shared')[i] ?? NaN)) / ((per('python', 'reuseport')[i] ?? NaN) / (per('python', 'shared')[i] ?? NaN))))
  const verdict = off.lo !== null && off.hi !== null && off.lo >= 0.9 && off.hi <= 1.1
    ? 'within the 10% target'
    : off.lo !== null && off.hi !== null && (off.hi < 1 || off.lo > 1) ? 'NOT within the 10% target: the clients rank the modes differently' : `inconclusive at ${ROUNDS} rounds: the interval reaches past 10% (BENCH_ROUNDS=N for more)`
  say(`reuseport / shared: harness ${ci(h)}, python ${ci(p)}; the harness's ratio over the sender's, paired by round: ${ci(off)}, ${verdict}`)
}

/** Part 2: datagrams/s per mode, side by side, as a run reports them. */
function perMode (): void {
  const out = fileURLToPath(new URL('../../reports/bench-udp', import.meta.url))
  const args = [BIN, 'run', '--protocol', 'udp', '--modes', 'reuseport,reuseport-plain,shared,cluster', '-w', String(WORKERS), '--flows', String(FLOWS), '-d', String(ROUNDS * SLICE), '--warmup', '2', '--trials', '1', '--json', '--out', out]
  const json = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] })
  const doc = JSON.parse(json) as ResultDoc
  say(`\n== 2. datagrams/s per mode at ${FLOWS} flows, ${WORKERS} listeners, side by side (run --protocol udp, ${ROUNDS} rounds of ${SLICE} s)`)
  say(table(['mode', 'datagrams/s, median [interval]', 'rounds'], (doc.sweep ?? []).map(s => [s.mode, `${Math.round(s.rps.median).toLocaleString('en-US')} [${Math.round(s.rps.lo).toLocaleString('en-US')}, ${Math.round(s.rps.hi).toLocaleString('en-US')}] ${s.rps.method ?? ''}`, String(s.trials)])))
  for (const p of doc.paired ?? []) say(`${p.mode} / ${p.against}: datagrams/s ${ci(p.throughput)} ${p.throughput.finding}; p99 ${ci(p.p99)} ${p.p99.finding}`)
}

try {
  execFileSync('sh', ['-c', 'command -v python3 && command -v taskset'], { stdio: 'ignore' })
} catch {
  say('bench:udp needs python3 and taskset')
  process.exit(2)
}
await clients()
perMode()
