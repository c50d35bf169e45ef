// A stop keeps what it promises on a loaded host (issue 40): a signal at any moment of a run - its warm-up,
// a slice, between slices, the analysis - beside a CPU hog keeps what was measured (result, report,
// latest-partial) or, with nothing measured, leaves no folder, and exits 130 or 143: never 0, never 1,
// never the hard kill.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { exited, startCli, waitForStderr } from '../helpers.js'
import { scratch } from '../scratch.js'

const root = scratch('rb-stops-')
test.after(() => rmSync(root, { recursive: true, force: true }))

// One try per phase, the signal alternating over phases and tries, so each signal meets two of the phases;
// RB_STOP_TRIES=N tries each phase N times (the soak).
const TRIES = Number(process.env.RB_STOP_TRIES ?? 1)
const PHASES: Array<[string, RegExp, number]> = [
  ['warm-up', /warm-up until steady/, 0],
  ['a slice', /\[slice 3\/\d+/, 200],
  ['between slices', /\[slice 2\/\d+/, 1050],
  ['the analysis', /analysing \d+ runs/, 0]
]

test(`a signal at any moment of a run under a CPU hog keeps what was measured and exits by the signal (${TRIES} ${TRIES === 1 ? 'try' : 'tries'} per phase)`, { timeout: 400_000 }, async () => {
  const hog = spawn('taskset', ['-c', '0', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' })
  const failed: string[] = []
  try {
    for (const [p, [phase, at, delayMs]] of PHASES.entries()) {
      for (let i = 0; i < TRIES; i++) {
        const sig = (p + i) % 2 === 0 ? 'SIGINT' : 'SIGTERM'
        const out = path.join(root, `${phase.replace(/ /g, '-')}-${i}`)
        // 2 modes x 2 s of 1 s slices: four slices, so slice 3 and the gap after slice 2 exist; a short warm-up cap, as the
        // warm-up phase is caught as it begins.
        const cli = startCli(['run', '--modes', 'reuseport,shared', '-w', '2', '-c', '4', '-d', '2', '--trials', '1', '--warmup', '1', '--out', out])
        let stderr = ''
        cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
        await waitForStderr(cli, at, 120_000)
        await new Promise(resolve => setTimeout(resolve, delayMs))
        cli.kill(sig)
        const { code } = await exited(cli, 30_000)
        const wrong = stopIsWrong(out, stderr, code, sig)
        if (wrong !== undefined) failed.push(`${phase}, try ${i + 1} (${sig}): ${wrong}`)
      }
    }
  } finally {
    hog.kill('SIGKILL')
  }
  assert.deepEqual(failed, [])
})

/** What is wrong with how a run stopped by `sig` ended (undefined: nothing). */
function stopIsWrong (out: string, stderr: string, code: number | null, sig: string): string | undefined {
  if (code !== (sig === 'SIGINT' ? 130 : 143)) return `exit ${String(code)}: ${stderr.trim().split('\n').slice(-2).join(' | ')}`
  if (/did not stop within/.test(stderr)) return 'the hard kill came'
  if (existsSync(path.join(out, 'latest'))) return '`latest` moved to a stopped run'
  const kept = /partial result \(\d+ cells done\) written to (\S+)/.exec(stderr)?.[1]
  const folders = existsSync(out) ? readdirSync(out).filter(n => !n.startsWith('latest')) : []
  if (kept === undefined) {
    if (!/no cell completed/.test(stderr)) return `neither a partial result nor "no cell completed": ${stderr.trim().split('\n').slice(-2).join(' | ')}`
    return folders.length === 0 ? undefined : `a folder was left: ${folders.join(', ')}`
  }
  const doc = JSON.parse(readFileSync(kept, 'utf8')) as { status: string, failure?: { code: string } }
  if (doc.status !== 'partial' || doc.failure?.code !== 'RB_INTERRUPTED') return `the kept result is ${doc.status}, ${doc.failure?.code ?? 'no failure'}`
  if (!existsSync(path.join(path.dirname(kept), 'report.html'))) return 'no report beside the partial result'
  if (realpathSync(path.join(out, 'latest-partial')) !== realpathSync(path.dirname(kept))) return 'latest-partial does not point at it'
  return folders.length === 1 ? undefined : `folders: ${folders.join(', ')}`
}
