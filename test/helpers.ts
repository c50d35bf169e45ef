// Shared by the tests: run the real CLI, look at real processes.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { misfitsUnder, schemaMisfit } from './schemaCheck.js'

export const BIN = fileURLToPath(new URL('../../bin/reuseport-bench.js', import.meta.url))

export interface CliResult { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

/**
 * A tag in the environment of every CLI a test starts, which its children inherit: what is left
 * of a CLI after it exited is found by the tag, even re-parented to init (the product never reads it).
 */
let tags = 0
/**
 * This test process's own tag, which every process it starts inherits (an API run's listeners, a remote side
 * spawned here); each CLI gets a tag of its own below. All of them start with this process's pid.
 */
process.env.RB_TEST_TAG = `${process.pid}-0`
function tagged (): { env: NodeJS.ProcessEnv, tag: string } {
  const tag = `${process.pid}-${++tags}`
  return { env: { ...process.env, RB_TEST_TAG: tag }, tag }
}

/** The test tag in `pid`'s environment, if it has one and can be read. */
function tagOf (pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find(v => v.startsWith('RB_TEST_TAG='))?.slice('RB_TEST_TAG='.length)
  } catch {
    return undefined
  }
}

/** False only for a process started by another test process (its tag names another pid): files side by side see only their own. */
export function notAnotherTests (pid: number): boolean {
  const tag = tagOf(pid)
  return tag === undefined || tag.startsWith(`${process.pid}-`)
}

/** Every live process whose environment carries `tag` (any process left by the CLI that had it). */
export function tagHolders (tag: string): number[] {
  const out: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    if (tagOf(Number(d)) === tag && alive(Number(d))) out.push(Number(d))
  }
  return out
}

/**
 * Runs the CLI to completion (bounded by `timeoutMs`); `tag` finds what it left running (tagHolders).
 * Every document it wrote under --out, or printed with --json, must fit its published schema (closed):
 * otherwise the promise rejects naming the file and the field.
 */
export async function runCli (args: string[], timeoutMs = 60_000): Promise<CliResult & { tag: string }> {
  const since = Date.now()
  const r = await runCliBare(args, timeoutMs)
  const at = args.indexOf('--out')
  const out = at >= 0 ? args[at + 1] : undefined
  // --out is a folder of run folders, or (report, compare) a file whose documents sit beside it.
  const where = out === undefined ? [] : /\.(html?|json)$/i.test(out) ? misfitsUnder(path.dirname(path.resolve(out)), since, 1) : misfitsUnder(path.resolve(out), since, 3)
  const misfits = [...where, ...printedMisfit(r.stdout)]
  if (misfits.length > 0) throw new Error(`a document does not fit its schema: ${misfits.join('; ')}`)
  return r
}

/** The misfit of a document printed on stdout (--json), if it is one of ours. */
function printedMisfit (stdout: string): string[] {
  if (!stdout.trimStart().startsWith('{')) return []
  let doc: unknown
  try { doc = JSON.parse(stdout) } catch { return [] }
  const m = schemaMisfit(doc)
  return m === undefined ? [] : [`stdout: ${m}`]
}

function runCliBare (args: string[], timeoutMs: number): Promise<CliResult & { tag: string }> {
  const { env, tag } = tagged()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`CLI timed out: ${args.join(' ')}\n${stderr}`)) }, timeoutMs)
    child.on('close', (code, signal) => { clearTimeout(t); resolve({ code, signal, stdout, stderr, tag }) })
  })
}

/** Starts the CLI and leaves it running; `ownGroup` puts it in a process group of its own (to signal the group). */
export function startCli (args: string[], ownGroup = false): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: ownGroup })
}

/** Resolves with the stderr text once it matches `re`. */
export function waitForStderr (child: ChildProcess, re: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = ''
    const t = setTimeout(() => reject(new Error(`no ${String(re)} in stderr within ${timeoutMs} ms: ${text}`)), timeoutMs)
    child.stderr?.on('data', (d: Buffer) => {
      text += d.toString()
      const m = re.exec(text)
      if (m !== null) { clearTimeout(t); resolve(m) }
    })
  })
}

/** True while `pid` is a running (not zombie) process. */
export function alive (pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** Every descendant of `pid` (from /proc). */
export function descendants (pid: number): number[] {
  const parent = new Map<number, number>()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parent.set(Number(d), Number(rest[1]))
    } catch {}
  }
  const out: number[] = []
  const walk = (p: number): void => {
    for (const [c, pp] of parent) if (pp === p) { out.push(c); walk(c) }
  }
  walk(pid)
  return out
}

/** Resolves true once none of `pids` is alive, false after `timeoutMs`. */
export async function allGone (pids: readonly number[], timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (pids.every(p => !alive(p))) return true
    await new Promise(r => setTimeout(r, 50))
  }
  return pids.every(p => !alive(p))
}

/** Waits until `child` exits; resolves with its code and signal. */
export function exited (child: ChildProcess, timeoutMs = 10_000): Promise<{ code: number | null, signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve({ code: child.exitCode, signal: child.signalCode }); return }
    const t = setTimeout(() => reject(new Error('process did not exit in time')), timeoutMs)
    child.once('exit', (code, signal) => { clearTimeout(t); resolve({ code, signal }) })
  })
}

/** Descendants of `pid` whose command line mentions `script` (e.g. 'workers/listener.js'). */
export function descendantsRunning (pid: number, script: string): number[] {
  return descendants(pid).filter(p => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(script)
    } catch {
      return false
    }
  })
}

/** Resolves with the first descendant of `pid` running `script`, polling until one exists. */
export async function waitForDescendant (pid: number, script: string, timeoutMs = 10_000): Promise<number> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const found = descendantsRunning(pid, script)[0]
    if (found !== undefined) return found
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error(`no ${script} under pid ${pid} within ${timeoutMs} ms`)
}
