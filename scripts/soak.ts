/**
 * `npm run soak`: many short runs back to back in one process (SOAK_RUNS,
 * default 200), checking that no file descriptors, child processes or memory
 * leak across them and that every run's accounting adds up. Not part of CI.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { runPlan } from '../src/engine/run.js'
import { buildPlan } from '../src/plan/validate.js'
import { liveChildren } from '../src/proc/children.js'
import type { Mode } from '../src/types/plan.js'

const RUNS = Number(process.env.SOAK_RUNS ?? 200)
const MODES: Mode[] = ['reuseport', 'shared', 'cluster', 'single']
const fds = (): number => readdirSync('/proc/self/fd').length
const children = (): number => {
  let n = 0
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(rest[1]) === process.pid && rest[0] !== 'Z') n++
    } catch {}
  }
  return n
}

const gc = (globalThis as { gc?: () => void }).gc
let passed = 0
let failed = 0
const samples: Array<{ run: number, fds: number, rssMb: number, heapMb: number }> = []
const t0 = Date.now()
for (let i = 1; i <= RUNS; i++) {
  const mode = MODES[i % MODES.length] ?? 'reuseport'
  const churn = i % 3 === 0 ? 5 : 0
  const plan = buildPlan({ modes: mode, workers: 2, connections: 4, durationSec: 0.2, warmupSec: 0, pauseSec: 0, churn })
  const problems: string[] = []
  try {
    const [run] = await runPlan(plan)
    if (run === undefined) throw new Error('no run')
    const a = run.accounting
    if (run.client.errors + run.client.timeouts > 0) problems.push(`client errors ${run.client.errors}, timeouts ${run.client.timeouts}`)
    if (churn === 0 && !a.acceptsMatch) problems.push(`accepts ${a.listenerAccepts} != connections ${a.clientConnections}`)
    if (churn > 0 && Math.abs(a.listenerAccepts - a.clientConnections) > plan.connections) problems.push(`churn accepts ${a.listenerAccepts} vs connections ${a.clientConnections}`)
    if (!a.explained) problems.push(`requests differ by ${a.requestDifference}: ${a.note}`)
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err))
  }
  if (liveChildren() !== 0 || children() !== 0) problems.push(`children left: ${liveChildren()} tracked, ${children()} in /proc`)
  if (problems.length === 0) passed++
  else {
    failed++
    process.stdout.write(`run ${i} (${mode}${churn > 0 ? `, churn ${churn}` : ''}): ${problems.join('; ')}\n`)
  }
  if (i % 10 === 0 || i === RUNS) {
    gc?.()
    const m = process.memoryUsage()
    samples.push({ run: i, fds: fds(), rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576 })
    process.stderr.write(`soak: ${i}/${RUNS} runs, ${((Date.now() - t0) / 1000).toFixed(0)} s, fds ${fds()}, rss ${(m.rss / 1048576).toFixed(0)} MiB, heap ${(m.heapUsed / 1048576).toFixed(1)} MiB\n`)
  }
}
// Leaks: compare the end with the first sample (after warm-up of caches and JIT).
const first = samples[0]
const last = samples[samples.length - 1]
if (first !== undefined && last !== undefined && samples.length > 1) {
  const fdGrowth = last.fds - first.fds
  const heapGrowth = last.heapMb - first.heapMb
  process.stdout.write(`fds ${first.fds} -> ${last.fds}; heap ${first.heapMb.toFixed(1)} -> ${last.heapMb.toFixed(1)} MiB${gc === undefined ? ' (run with --expose-gc for exact heap figures)' : ''}; rss ${first.rssMb.toFixed(0)} -> ${last.rssMb.toFixed(0)} MiB\n`)
  if (fdGrowth > 2) { failed++; process.stdout.write(`LEAK: ${fdGrowth} file descriptors more than after run ${first.run}\n`) }
  if (gc !== undefined && heapGrowth > 20) { failed++; process.stdout.write(`LEAK: heap grew ${heapGrowth.toFixed(1)} MiB\n`) }
}
process.stdout.write(`soak: ${passed} passed, ${failed} failed\n`)
process.exit(failed === 0 ? 0 : 1)
