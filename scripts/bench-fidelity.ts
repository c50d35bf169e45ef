/**
 * `npm run bench:fidelity`: does the harness's own client decide the result?
 * Measured side by side in one run, with the same CPU pinning (the default
 * rule, plan/cpus.ts):
 *   1. ratios between modes (reuseport, shared, cluster), keep-alive and a new
 *      connection per request: the harness (`run`) against wrk on the same
 *      listeners (`serve`'s group), each mode by wrk and by the harness back
 *      to back, BENCH_ROUNDS rounds (default 4), alternating the mode order
 *      and which of the two goes first;
 *      target: every ratio within 10% of wrk's;
 *   2. the harness's capacity against wrk, with the client on its own CPUs;
 *   3. the listener's own cost against the plainest Node server on the same
 *      kind of socket (scripts/plain-server.ts), wrk, ABAB x 4;
 *      target: throughput at least 0.97x, RSS at most 1.2x.
 * BENCH_SECONDS (default 5) sets each load's length. Needs wrk and taskset.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { median } from '../src/analyse/bootstrap.js'
import { runPlan } from '../src/engine/run.js'
import { allowedCpus, capabilities, pinProcess } from '../src/native/index.js'
import { cpuListText, describeCpuSets, resolveCpuSets } from '../src/plan/cpus.js'
import { buildPlan } from '../src/plan/validate.js'
import { track } from '../src/proc/children.js'
import { table } from '../src/report/terminal.js'
import { ListenerGroup } from '../src/topology/group.js'
import { haveWrk, wrk } from './wrk.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const WORKERS = 4
const CONNECTIONS = 50
const MODES = ['reuseport', 'shared', 'cluster']
const LOADS = [{ name: 'keep-alive', churn: 0, headers: [] }, { name: 'new connection per request', churn: 1, headers: ['Connection: close'] }]
const canPin = capabilities().cpuAffinity === true
const sets = resolveCpuSets('auto', 'auto', canPin ? allowedCpus() : [], canPin)
const say = (s: string): void => { process.stdout.write(s + '\n') }
const pct = (x: number): string => `${((x - 1) * 100).toFixed(1)}%`

/** wrk against `mode`'s listeners (pinned like the harness's), after a 1 s warm-up. */
async function wrkOnMode (mode: string, headers: readonly string[]): Promise<number> {
  const g = await ListenerGroup.start({ mode, workers: WORKERS, host: '127.0.0.1', port: 0, backlog: 511, instrument: true, ...(sets.listeners === null ? {} : { cpus: sets.listeners }) })
  try {
    await wrk({ port: g.port, seconds: 1, connections: CONNECTIONS, cpus: sets.client, headers })
    return (await wrk({ port: g.port, seconds: SECONDS, connections: CONNECTIONS, cpus: sets.client, headers })).rps
  } finally {
    await g.stop()
  }
}

/** One harness run of `mode` with this load: its req/s. */
async function harness (mode: string, churn: number): Promise<number> {
  const runs = await runPlan(buildPlan({ modes: mode, workers: String(WORKERS), connections: String(CONNECTIONS), durationSec: String(SECONDS), warmupSec: '1', pauseSec: '0', churn: String(churn), trials: '1' }))
  return runs[0]?.client.rps ?? NaN
}

/**
 * Per round, each mode is measured by wrk and by the harness, back to back (the mode order and
 * which of the two goes first alternate between rounds), so a mode's harness/wrk quotient is paired in time and the machine's
 * drift cancels from the ratio of two modes' quotients, which is how far the harness's mode ratio
 * is off wrk's. The median over rounds is reported.
 */
async function loadRatios (load: (typeof LOADS)[number], rows: string[][]): Promise<number[]> {
  const w: Record<string, number[]> = {}
  const h: Record<string, number[]> = {}
  for (let round = 1; round <= ROUNDS; round++) {
    for (const mode of round % 2 === 1 ? MODES : [...MODES].reverse()) {
      // Which goes first alternates too: what one leaves behind (TIME_WAIT sockets, a warm cache) touches both alike.
      if (round % 2 === 1) (w[mode] ??= []).push(await wrkOnMode(mode, load.headers))
      ;(h[mode] ??= []).push(await harness(mode, load.churn))
      if (round % 2 === 0) (w[mode] ??= []).push(await wrkOnMode(mode, load.headers))
    }
  }
  const q = (mode: string, i: number): number => (h[mode]?.[i] ?? NaN) / (w[mode]?.[i] ?? NaN)
  const offs: number[] = []
  const base = { w: median(w.reuseport ?? []), h: median(h.reuseport ?? []) }
  for (const mode of MODES) {
    const perRound = Array.from({ length: ROUNDS }, (_, i) => q(mode, i) / q('reuseport', i))
    const off = median(perRound)
    if (mode !== 'reuseport') offs.push(off)
    const range = `${pct(Math.min(...perRound))} .. ${pct(Math.max(...perRound))}`
    const wm = median(w[mode] ?? [])
    const hm = median(h[mode] ?? [])
    rows.push([load.name, mode, Math.round(wm).toString(), Math.round(hm).toString(), (wm / base.w).toFixed(2), (hm / base.h).toFixed(2), mode === 'reuseport' ? '-' : pct(off), mode === 'reuseport' ? '-' : range, (hm / wm).toFixed(2)])
  }
  return offs
}

async function modeRatios (): Promise<void> {
  say(`\n== 1 and 2. ratios between modes and capacity: harness (run) vs wrk on the same listeners, ${WORKERS} listeners, ${CONNECTIONS} connections, ${SECONDS} s, ${ROUNDS} rounds, each mode by wrk and the harness back to back, alternating which goes first`)
  const rows: string[][] = []
  const offs: number[] = []
  for (const load of LOADS) offs.push(...await loadRatios(load, rows))
  say(table(['load', 'mode', 'wrk req/s', 'harness req/s', 'wrk x reuseport', 'harness x reuseport', 'harness ratio off wrk (median of rounds)', 'rounds range', 'harness / wrk'], rows))
  say(`mode ratios within 10% of wrk's: ${offs.filter(o => Math.abs(o - 1) <= 0.1).length} of ${offs.length} (target: all)`)
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
const parts = new Set((process.env.BENCH_PARTS ?? '1,3').split(','))
try {
  if (parts.has('1')) await modeRatios()
  if (parts.has('3')) await listenerCost()
} catch (err) {
  process.stderr.write(`bench:fidelity: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
}
