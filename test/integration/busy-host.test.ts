// The README's command, shortened, on a host where a CPU hog runs on every CPU: the run answers. Rows for
// every mode, a ratio for every pair, one verdict per pair, the hog's steady share said as a level, the
// rounds' stop recorded; nothing left running.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { runCli } from '../helpers.js'
import type { ResultDoc } from '../../src/types/docs.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-busy-')
const hogs: ChildProcess[] = []
test.after(() => {
  for (const h of hogs) h.kill('SIGKILL')
  rmSync(out, { recursive: true, force: true })
})

/** A busy loop pinned to `cpu`, as `taskset -c CPU sh -c 'while :; do :; done'`. */
function hog (cpu: number): ChildProcess {
  const h = spawn('taskset', ['-c', String(cpu), 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' })
  hogs.push(h)
  return h
}

test('a CPU hog on every CPU: rows, pairs and one verdict per pair, the hog said as a steady level', async () => {
  for (let cpu = 0; cpu < availableParallelism(); cpu++) hog(cpu)
  // The README's command with a shorter budget and warm-up: the default precision, so rounds go on until it or the budget.
  // 48 s leaves 5 or more rounds under two hogs beside the tier's other files (32 s once left a pair without an interval in CI).
  const r = await runCli(['run', '--workers', '4', '--connections', '50', '--max-time', '48s', '--warmup', '2', '--out', out], 170_000)
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8')) as ResultDoc
  assert.deepEqual(doc.sweep?.map(c => c.mode).sort(), ['cluster', 'reuseport', 'shared'], 'a row for every mode')
  assert.equal(doc.paired?.length, 3, 'a ratio for every pair')
  for (const p of doc.paired ?? []) assert.ok(p.throughput.lo !== null && p.throughput.pairs.length >= 2, `${p.mode}/${p.against}: an interval, from ${p.throughput.pairs.length} pairs; ${doc.hostCheck?.statement ?? ''}`)
  const verdicts = r.stdout.split('\n').filter(l => l.startsWith('verdict: '))
  const pairLines = verdicts.filter(l => / against \S+ over \d+ paired rounds/.test(l))
  assert.equal(pairLines.length, 3, `one verdict per pair:\n${verdicts.join('\n')}`)
  assert.ok(verdicts.length < 15, `a verdict per configuration and pair, not per slice: ${verdicts.length} lines`)
  assert.doesNotMatch(r.stdout, /\(no rows\)|One trial per mode gives no interval/)
  // The hogs took a steady share: said as a level, and the rounds that held still kept.
  const check = doc.hostCheck
  assert.ok(check !== undefined && (check.foreignMean ?? 0) > 0.05, `the hogs were seen: ${check?.statement ?? ''}`)
  assert.ok(check.leftOut.length < check.rounds || (check.notComparable?.length ?? 0) > 0, check.statement)
  assert.equal(doc.precision?.length, 1, 'where the rounds stopped is recorded')
  assert.ok(['resolved', 'budget'].includes(doc.precision?.[0]?.reason ?? ''), JSON.stringify(doc.precision))
  assert.match(verdicts.join('\n'), /4 workers, 50 connections - (every pair's req\/s ratio resolved to|budget \(--max-time\) spent after)/)
})
