// Hostile input and faults, second round (issue 40): the API lets go of Node after a run resolves, rejects or is
// aborted at any moment. Its deadlines (the process outlives the promise by under 3 s) need the CPUs to itself; the
// rest of the round runs three files at a time, in ../hostile.test.ts.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { scratch } from '../../scratch.js'

const dir = scratch('rb-hostile-api-')
test.after(() => rmSync(dir, { recursive: true, force: true }))

/** A script that awaits the API's run, aborted after `abortMs` (never: null); resolves with how long its process outlived the promise. */
async function apiScript (abortMs: number | null, options: string): Promise<{ settled: string, lingerMs: number }> {
  const api = new URL('../../../src/api/index.js', import.meta.url).href
  const script = path.join(dir, `api-${String(abortMs)}.mjs`)
  writeFileSync(script, `import { run } from ${JSON.stringify(api)}
const ac = new AbortController()
${abortMs === null ? '' : `setTimeout(() => ac.abort(), ${abortMs})`}
try { await run(${options}, { signal: ac.signal }); console.log('resolved') } catch (e) { console.log('rejected ' + e.name) }
console.log('settled ' + Date.now())
`)
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  const code = await new Promise<number | null>(resolve => {
    const kill = setTimeout(() => { child.kill('SIGKILL') }, 40_000)
    child.on('exit', c => { clearTimeout(kill); resolve(c) })
  })
  const at = Number(/settled (\d+)/.exec(out)?.[1] ?? NaN)
  assert.notEqual(code, null, `the script had to be killed: ${out}`)
  return { settled: out.split('\n')[0] ?? '', lingerMs: Date.now() - at }
}

test('the API lets go: after a run resolves, rejects or is aborted at any moment, nothing of ours keeps Node alive', { timeout: 240_000 }, async () => {
  const small = "{ modes: ['reuseport', 'shared'], workers: 2, connections: 4, durationSec: 3, trials: 1, warmupSec: 1 }"
  for (const abortMs of [300, 1500, 3500, 4500]) {
    const r = await apiScript(abortMs, small)
    assert.equal(r.settled, 'rejected InterruptedError', `abort at ${abortMs} ms`)
    assert.ok(r.lingerMs < 3000, `abort at ${abortMs} ms: the process outlived the promise by ${r.lingerMs} ms`)
  }
  const done = await apiScript(null, "{ modes: ['reuseport', 'shared'], workers: 2, connections: 4, durationSec: 1, trials: 1, warmupSec: 0 }")
  assert.equal(done.settled, 'resolved')
  assert.ok(done.lingerMs < 3000, `after a resolved run: ${done.lingerMs} ms`)
  const bad = await apiScript(null, "{ modes: ['reuseport'], workers: 0 }")
  assert.equal(bad.settled, 'rejected UsageError')
  assert.ok(bad.lingerMs < 3000, `after a refused run: ${bad.lingerMs} ms`)
})
