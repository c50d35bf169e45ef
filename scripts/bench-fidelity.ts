/**
 * `npm run bench:fidelity`: does the harness's own client decide the result?
 * Measured side by side in one run, with the same CPU pinning (the default
 * rule, plan/cpus.ts):
 *   aa. the harness's noise floor: AA_RUNS (default 20) runs of
 *      `--modes reuseport,reuseport`, and how many claimed a difference;
 *      target: at most 2 of 20;
 *   1. ratios between modes (reuseport, shared, cluster), keep-alive and a new
 *      connection per request: the harness's load generator, with each of its
 *      two independent HTTP clients (autocannon, undici), against wrk on the
 *      same side-by-side groups, in the same BENCH_ROUNDS rounds (default 12)
 *      of BENCH_SLICE s slices (default 1), each mode by all three back to
 *      back in a rotating order; target: every ratio within 10% of wrk's, and
 *      the two clients within 10% of each other;
 *   3. the listener's own cost against the plainest Node server on the same
 *      kind of socket (scripts/plain-server.ts), wrk, ABAB x 4;
 *      target: throughput at least 0.97x, RSS at most 1.2x.
 * BENCH_SECONDS (default 5) sets part 3's loads; BENCH_PARTS (default aa,1,3) picks parts. Needs wrk and taskset.
 */
import { execFile, fork } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { ChildProcess } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { median } from '../src/analyse/bootstrap.js'
import { pairedRatio } from '../src/analyse/paired.js'
import { isSteady } from '../src/analyse/steady.js'
import { LoadProcess } from '../src/load/process.js'
import { shuffle } from '../src/random.js'
import type { PairedRatio, ResultDoc } from '../src/types/docs.js'
import type { LoadSpec } from '../src/types/load.js'
import { allowedCpus, capabilities, pinProcess } from '../src/native/index.js'
import { cpuListText, describeCpuSets, resolveCpuSets } from '../src/proc/cpus.js'
import { track } from '../src/proc/children.js'
import { table } from '../src/report/terminal.js'
import { ListenerGroup } from '../src/topology/group.js'
import { haveWrk, wrk } from './wrk.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12)
const SLICE = Number(process.env.BENCH_SLICE ?? 1)
const WORKERS = 4
const CONNECTIONS = 50
const MODES = ['reuseport', 'shared', 'cluster']
/** The harness's own HTTP clients, each checked against wrk and against the other. */
const DRIVERS = ['autocannon', 'undici'] as const
const LOADS = [{ name: 'keep-alive', churn: 0, headers: [] }, { name: 'new connection per request', churn: 1, headers: ['Connection: close'] }]
const canPin = capabilities().cpuAffinity === true
const sets = resolveCpuSets('auto', 'auto', canPin ? allowedCpus() : [], canPin)
const say = (s: string): void => { process.stdout.write(s + '\n') }
const execFileP = promisify(execFile)

/** The groups of every mode, side by side on their own ports, pinned like the harness's listeners. */
async function startGroups (): Promise<Map<string, ListenerGroup>> {
  const groups = new Map<string, ListenerGroup>()
  for (const mode of MODES) groups.set(mode, await ListenerGroup.start({ mode, workers: WORKERS, host: '127.0.0.1', port: 0, backlog: 511, instrument: true, ...(sets.listeners === null ? {} : { cpus: sets.listeners }) }))
  return groups
}

/** wrk's 1 s loads against a group until steady (analyse/steady.ts), at most 30; what it took. */
async function warmWithWrk (port: number, headers: readonly string[]): Promise<number> {
  const rps: number[] = []
  while (!isSteady(rps) && rps.length < 30) rps.push((await wrk({ port, seconds: 1, connections: CONNECTIONS, cpus: sets.client, headers })).rps)
  return rps.length
}

/**
 * The harness's load generator and wrk on the same side-by-side groups, in the same rounds: each round
 * visits every mode in a fresh shuffled order, and at each mode the harness and wrk load it for one slice
 * each, back to back (which goes first alternates by round). Per round, each client's mode ratio to
 * reuseport; the harness's ratio over wrk's, paired by round, says how far the harness is off wrk.
 */
type Client = 'wrk' | (typeof DRIVERS)[number]

async function sliceRatios (load: (typeof LOADS)[number], rows: string[][]): Promise<Array<{ mode: string, what: string, off: PairedRatio }>> {
  const groups = await startGroups()
  const lp = LoadProcess.start(undefined, sets.client)
  const got: Record<Client, Record<string, number[]>> = { wrk: {}, autocannon: {}, undici: {} }
  try {
    const port = (mode: string): number => groups.get(mode)?.port ?? 0
    const spec = (mode: string, driver: string): LoadSpec => ({ driver, host: '127.0.0.1', port: port(mode), connections: CONNECTIONS, churn: load.churn, rate: 0, durationSec: SLICE, threads: 1 })
    const slice = async (mode: string, client: Client): Promise<number> => client === 'wrk'
      ? (await wrk({ port: port(mode), seconds: SLICE, connections: CONNECTIONS, cpus: sets.client, headers: load.headers })).rps
      : (await lp.run(spec(mode, client), { name: 'slice', what: mode, deadlineMs: SLICE * 1000 + 15_000 })).rps
    for (const mode of MODES) {
      const ticks = await warmWithWrk(port(mode), load.headers)
      for (const d of DRIVERS) for (let i = 0; i < 3; i++) await slice(mode, d) // the harness's clients warm too
      say(`  ${load.name}: ${mode} warmed (${ticks} s of wrk until steady)`)
    }
    const clients: Client[] = ['wrk', ...DRIVERS]
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of shuffle(MODES, 7 + round)) {
        // Which client goes first rotates by round, so none always loads a fresher group.
        for (let k = 0; k < clients.length; k++) {
          const client = clients[(round + k) % clients.length] as Client
          ;(got[client][mode] ??= []).push(await slice(mode, client))
        }
      }
    }
  } finally {
    await lp.close()
    for (const g of groups.values()) await g.stop()
  }
  const out: Array<{ mode: string, what: string, off: PairedRatio }> = []
  const perRound = (c: Client, mode: string): number[] => (got[c][mode] ?? []).map((v, i) => v / (got[c].reuseport?.[i] ?? NaN))
  const ci = (p: PairedRatio): string => `${p.ratio.toFixed(3)} [${(p.lo ?? NaN).toFixed(3)}, ${(p.hi ?? NaN).toFixed(3)}]`
  const against = (a: Client, b: Client, mode: string): PairedRatio => pairedRatio(perRound(a, mode).map((x, i) => x / (perRound(b, mode)[i] ?? NaN)))
  for (const mode of MODES.filter(m => m !== 'reuseport')) {
    const offs: Array<[string, PairedRatio]> = [['autocannon / wrk', against('autocannon', 'wrk', mode)], ['undici / wrk', against('undici', 'wrk', mode)], ['undici / autocannon', against('undici', 'autocannon', mode)]]
    for (const [what, off] of offs) out.push({ mode, what, off })
    const med = (c: Client): number => Math.round(median(got[c][mode] ?? []))
    rows.push([load.name, `${mode} / reuseport`, ci(pairedRatio(perRound('wrk', mode))), ci(pairedRatio(perRound('autocannon', mode))), ci(pairedRatio(perRound('undici', mode))), offs.map(([w, p]) => `${w} ${ci(p)}`).join('; '), `${med('wrk')} / ${med('autocannon')} / ${med('undici')}`])
  }
  return out
}

async function modeRatios (): Promise<void> {
  say(`\n== 1. mode ratios side by side: the harness's load generator (its autocannon and undici drivers) against wrk on the same groups, in the same ${ROUNDS} rounds of ${SLICE} s slices (each mode by all three, back to back, in a rotating order), ${WORKERS} listeners, ${CONNECTIONS} connections`)
  const rows: string[][] = []
  const offs: Array<{ mode: string, what: string, off: PairedRatio }> = []
  for (const load of LOADS) offs.push(...await sliceRatios(load, rows))
  say(table(['load', 'ratio', 'wrk (geometric mean of rounds, 95% interval)', 'autocannon', 'undici', 'one client\'s ratio over another\'s, paired by round', 'median req/s wrk / autocannon / undici'], rows))
  for (const what of ['autocannon / wrk', 'undici / wrk', 'undici / autocannon']) {
    const these = offs.filter(o => o.what === what)
    const within = these.filter(o => Math.abs(o.off.ratio - 1) <= 0.1)
    say(`${what}: mode ratios within 10%: ${within.length} of ${these.length} (target: all)`)
  }
}

/**
 * A/A: reuseport against itself (`--modes reuseport,reuseport`, two arms side by side), AA_RUNS times
 * (default 20) with different seeds; how often the analysis claimed a difference. At a 95% interval,
 * about 1 in 20 would by chance.
 */
async function aToA (): Promise<void> {
  const runs = Number(process.env.AA_RUNS ?? 20)
  const seconds = Number(process.env.AA_SECONDS ?? 5)
  say(`\n== A/A: --modes reuseport,reuseport, ${WORKERS} listeners, ${CONNECTIONS} connections, --duration ${seconds} (1 s slices), ${runs} runs`)
  const bin = fileURLToPath(new URL('../../bin/reuseport-bench.js', import.meta.url))
  const rows: string[][] = []
  let claims = 0
  for (let i = 1; i <= runs; i++) {
    const args = [bin, 'run', '--modes', 'reuseport,reuseport', '--workers', String(WORKERS), '--connections', String(CONNECTIONS), '--duration', String(seconds), '--trials', '1', '--seed', String(i), '--json', '--out', path.join(os.tmpdir(), 'rb-bench-aa')]
    const { stdout } = await execFileP(process.execPath, args, { maxBuffer: 256 * 1024 * 1024 })
    const doc = JSON.parse(stdout) as ResultDoc
    const p = doc.paired?.[0]
    const claimed = p !== undefined && (p.throughput.finding === 'higher' || p.throughput.finding === 'lower')
    if (claimed) claims++
    process.stderr.write(`  A/A run ${i}/${runs}: ${p === undefined ? 'no pair' : `${p.throughput.ratio.toFixed(3)}x, ${p.throughput.finding}`}\n`)
    rows.push([String(i), p === undefined ? '-' : `${p.throughput.ratio.toFixed(3)} [${(p.throughput.lo ?? NaN).toFixed(3)}, ${(p.throughput.hi ?? NaN).toFixed(3)}]`, p?.throughput.finding ?? 'no pair', String(p?.throughput.pairs.length ?? 0), String(doc.hostCheck?.leftOut.length ?? 0), p === undefined ? '-' : p.p99.finding])
  }
  say(table(['run', 'req/s ratio (95% interval)', 'req/s finding', 'rounds paired', 'rounds left out', 'p99 finding'], rows))
  say(`A/A: ${claims} of ${runs} claimed a difference in req/s (nominal: about ${(runs * 0.05).toFixed(1)}; target: at most 2)`)
}

/** Starts `n` plain servers on one port (a free one), pinned like the listeners; resolves with the port, their pids and a stop function. */
async function plainServers (n: number): Promise<{ port: number, pids: number[], stop: () => void }> {
  const script = fileURLToPath(new URL('./plain-server.js', import.meta.url))
  const start = async (port: number): Promise<{ kid: ChildProcess, port: number }> => {
    const kid = track(fork(script, [String(port)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }))
    if (sets.listeners !== null && kid.pid !== undefined) pinProcess(kid.pid, sets.listeners)
    const [got] = await once(kid, 'message') as [number]
    return { kid, port: got }
  }
  const first = await start(0)
  const rest = await Promise.all(Array.from({ length: n - 1 }, async () => await start(first.port)))
  const kids = [first, ...rest].map(x => x.kid)
  return { port: first.port, pids: kids.flatMap(k => k.pid === undefined ? [] : [k.pid]), stop: () => { for (const k of kids) k.kill() } }
}

/** RSS of process `pid` in MiB (VmRSS). */
async function rssMiB (pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))
  return m === null ? NaN : Number(m[1]) / 1024
}

async function listenerCost (): Promise<void> {
  say(`\n== 3. the listener's own cost: ${WORKERS} listeners (reuseport, instrumented, and with --no-instrument) vs ${WORKERS} plainest Node servers on a SO_REUSEPORT socket, wrk ${CONNECTIONS} connections, ${SECONDS} s, ABC CBA x 2`)
  const rows: string[][] = []
  type Kind = 'listener' | 'no-instrument' | 'plain'
  const rps: Record<Kind, number[]> = { listener: [], 'no-instrument': [], plain: [] }
  const rss: Record<Kind, number[]> = { listener: [], 'no-instrument': [], plain: [] }
  const order: Kind[] = ['listener', 'plain', 'no-instrument']
  for (let round = 1; round <= 4; round++) {
    for (const kind of round % 2 === 1 ? order : [...order].reverse()) {
      let port = 0
      let stop: () => Promise<unknown> | void
      let pids: number[]
      if (kind !== 'plain') {
        const g = await ListenerGroup.start({ mode: 'reuseport', workers: WORKERS, host: '127.0.0.1', port: 0, backlog: 511, instrument: kind === 'listener', ...(sets.listeners === null ? {} : { cpus: sets.listeners }) })
        port = g.port
        pids = [...g.pids.values()]
        stop = async () => await g.stop()
      } else {
        const p = await plainServers(WORKERS)
        port = p.port
        stop = p.stop
        pids = p.pids
      }
      try {
        await wrk({ port, seconds: 1, connections: CONNECTIONS, cpus: sets.client })
        const r = await wrk({ port, seconds: SECONDS, connections: CONNECTIONS, cpus: sets.client })
        rps[kind].push(r.rps)
        const mem = median(await Promise.all(pids.map(rssMiB)))
        rss[kind].push(mem)
        rows.push([String(round), kind, Math.round(r.rps).toString(), mem.toFixed(1)])
      } finally {
        await stop()
      }
    }
  }
  say(table(['round', 'server', 'wrk req/s', 'rss MiB (median process)'], rows))
  const ratio = median(rps.listener) / median(rps.plain)
  say(`listener / plain server throughput = ${ratio.toFixed(3)}x (median of 4; target at least 0.97x): ${ratio >= 0.97 ? 'met' : 'NOT met'}`)
  say(`listener --no-instrument / plain server throughput = ${(median(rps['no-instrument']) / median(rps.plain)).toFixed(3)}x (the plain floor: no counting, timing or attribution header)`)
  const mem = median(rss.listener) / median(rss.plain)
  say(`listener / plain server RSS = ${mem.toFixed(2)}x (median process; target at most 1.2x): ${mem <= 1.2 ? 'met' : 'NOT met'}`)
}

say(`reuseport-bench fidelity benchmark on ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${os.platform()} ${os.release()}, Node ${process.version}`)
say(`CPUs: ${describeCpuSets(sets)}; wrk pinned to ${sets.client === null ? 'nothing' : cpuListText(sets.client)}`)
if (!haveWrk()) {
  process.stderr.write('bench:fidelity: needs wrk, /usr/bin/time and taskset (apt-get install wrk time util-linux)\n')
  process.exit(2)
}
const parts = new Set((process.env.BENCH_PARTS ?? 'aa,1,3').split(','))
try {
  if (parts.has('aa')) await aToA()
  if (parts.has('1')) await modeRatios()
  if (parts.has('3')) await listenerCost()
} catch (err) {
  process.stderr.write(`bench:fidelity: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
}
