// Signals as process managers send them, by repetition: `serve` keeps and prints every listener's figures
// when a signal comes twice within milliseconds (GNU timeout signals the pid and its group), when SIGTERM
// goes to the whole process group (systemd, kill -- -PGID), and when the two are mixed. `npm run
// soak:signals` runs 30 tries of each under a CPU hog (RB_SIGNAL_TRIES, RB_SIGNAL_HOG); the suite runs a few.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { test } from 'node:test'
import { startCli, waitForStderr } from '../helpers.js'
import { scratch } from '../scratch.js'

const TRIES = Number(process.env.RB_SIGNAL_TRIES ?? 3)
const HOG = process.env.RB_SIGNAL_HOG === '1'
const out = scratch('rb-signals-')
test.after(() => rmSync(out, { recursive: true, force: true }))

type Pattern = 'double SIGINT' | 'group SIGTERM' | 'timeout (pid, then group)'
const PATTERNS: Array<[Pattern, number, (pid: number) => void]> = [
  ['double SIGINT', 130, pid => { process.kill(pid, 'SIGINT'); process.kill(pid, 'SIGINT') }],
  ['group SIGTERM', 143, pid => { process.kill(-pid, 'SIGTERM') }],
  ['timeout (pid, then group)', 130, pid => { process.kill(pid, 'SIGINT'); process.kill(-pid, 'SIGINT') }]
]

/** One try: serve in a group of its own, one request, the signals, then its exit code and printed figures. */
async function once_ (send: (pid: number) => void): Promise<{ code: number | null, requests: number | undefined, stderr: string }> {
  const cli = startCli(['serve', '--mode', 'reuseport', '--workers', '2', '--port', '0', '--json', '--out', out], true)
  let stdout = ''
  let stderr = ''
  cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const m = await waitForStderr(cli, /on 127\.0\.0\.1:(\d+)/)
  await (await fetch(`http://127.0.0.1:${m[1] ?? ''}/`, { headers: { connection: 'close' } })).text()
  send(cli.pid ?? 0)
  const [code] = await once(cli, 'exit') as [number | null]
  let requests: number | undefined
  try { requests = (JSON.parse(stdout) as { listeners: Array<{ requests: number }> }).listeners.reduce((a, l) => a + l.requests, 0) } catch {}
  return { code, requests, stderr }
}

/** A busy loop on every CPU, for the soak: signals then arrive while everything waits for a CPU. */
function hogs (): ChildProcess[] {
  return HOG ? [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })) : []
}

for (const [name, code, send] of PATTERNS) {
  test(`serve, ${name}, ${TRIES} tries${HOG ? ' under a CPU hog' : ''}: every try keeps the figures and exits ${code}`, { timeout: 30_000 + TRIES * 10_000 }, async () => {
    const hog = hogs()
    const failed: string[] = []
    try {
      for (let i = 0; i < TRIES; i++) {
        const r = await once_(send)
        if (r.code !== code || r.requests !== 1) failed.push(`try ${i + 1}: exit ${String(r.code)}, requests ${String(r.requests)}: ${r.stderr.trim().split('\n').pop() ?? ''}`)
      }
    } finally {
      for (const h of hog) h.kill('SIGKILL')
    }
    process.stderr.write(`# ${name}: ${TRIES - failed.length} of ${TRIES} kept the figures\n`)
    assert.deepEqual(failed, [])
  })
}

/** A port free now (listened on, then closed). */
async function freePort (): Promise<number> {
  const net = await import('node:net')
  const s = net.createServer()
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as { port: number }).port
  await new Promise(resolve => s.close(resolve))
  return port
}

test(`serve, group SIGTERM the moment the port first answers (listeners still starting), ${TRIES} tries: a stop, not a crash`, { timeout: 30_000 + TRIES * 10_000 }, async () => {
  const failed: string[] = []
  for (let i = 0; i < TRIES; i++) {
    const port = await freePort()
    const cli = startCli(['serve', '--mode', 'reuseport', '--workers', '2', '--port', String(port), '--json', '--out', out], true)
    let stdout = ''
    let stderr = ''
    cli.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
    cli.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
    const exit = once(cli, 'exit')
    // The first listener's socket answers before the second listener has started.
    for (let j = 0; j < 1000; j++) {
      const up = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } }).then(async r => { await r.text(); return true }, () => false)
      if (up) break
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    process.kill(-(cli.pid ?? 0), 'SIGTERM')
    const [code] = await exit as [number | null]
    let listeners = -1
    try { listeners = (JSON.parse(stdout) as { listeners: unknown[] }).listeners.length } catch {}
    // Either the group was up and its figures are printed, or a listener still starting was ended by the same
    // signal and the start ends as interrupted: a stop either way, never "exited unexpectedly".
    const stopped = listeners === 2 || /interrupted by SIGTERM/.test(stderr)
    if (code !== 143 || !stopped || /exited unexpectedly/.test(stderr)) failed.push(`try ${i + 1}: exit ${String(code)}, ${listeners} listeners printed: ${stderr.trim().split('\n').pop() ?? ''}`)
  }
  assert.deepEqual(failed, [])
})
