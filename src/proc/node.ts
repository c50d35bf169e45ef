/**
 * The Node binary the listeners run under: this one, or another given with
 * --node PATH (so one run can compare Node versions), and what it can do.
 * Its version is asked of the binary itself, once per path.
 */
import { execFileSync } from 'node:child_process'
import { UsageError } from '../errors.js'
import type { NodeBinary } from '../types/plan.js'

const known = new Map<string, NodeBinary>()

/**
 * The Node flags every process and thread of ours starts with: none. Node's
 * fork() and Worker hand on the caller's own flags (process.execArgv) unless
 * told otherwise, and a caller's `--input-type=module -e` or `--inspect` is
 * not ours to pass to a listener; our children get the flags we choose.
 */
export const CHILD_NODE_FLAGS: readonly string[] = Object.freeze([])

/** execArgv for fork() and new Worker(): ours, never the caller's. */
export function childExecArgv (): string[] {
  return [...CHILD_NODE_FLAGS]
}

/** This process's Node. */
export function thisNode (): NodeBinary {
  return { path: process.execPath, version: process.version }
}

/** The Node at `path` (null: this one); a path that is not a working Node is bad input (exit 2). */
export function nodeAt (path: string | null): NodeBinary {
  if (path === null) return thisNode()
  const seen = known.get(path)
  if (seen !== undefined) return seen
  let version: string
  try {
    version = execFileSync(path, ['-p', 'process.version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch (err) {
    throw new UsageError(`--node ${path}: not a Node binary that runs here (${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)})`)
  }
  if (!/^v\d+\.\d+\.\d+/.test(version)) throw new UsageError(`--node ${path}: printed '${version.slice(0, 40)}' for its version, not a Node version`)
  const node = { path, version }
  known.set(path, node)
  return node
}

/** [major, minor] of 'v22.12.0'. */
function majorMinor (version: string): [number, number] {
  const m = /^v(\d+)\.(\d+)/.exec(version)
  return m === null ? [0, 0] : [Number(m[1]), Number(m[2])]
}

/** Whether server.listen({ reusePort: true }) exists in this Node version (v22.12.0+ on 22, v23.1.0+ after). */
export function hasReusePort (version: string): boolean {
  const [major, minor] = majorMinor(version)
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12)
}

/** Whether a net.Socket can be moved to a worker thread in postMessage's transfer list (v24.20.0+ on 24, v26.6.0+ on 26, and every later major; nodejs/node#64225; tried here on 24.19.0, 24.20.0, 26.5.1 and 26.6.0). */
export function hasSocketTransfer (version: string): boolean {
  const [major, minor] = majorMinor(version)
  return major > 26 || (major === 26 && minor >= 6) || (major === 24 && minor >= 20)
}

/** Whether net.BoundSocket exists in this Node version (v24.19.0+ on 24, v26.4.0+ on 26, and every later major; nodejs/node#63951). */
export function hasBoundSocket (version: string): boolean {
  const [major, minor] = majorMinor(version)
  return major > 26 || (major === 26 && minor >= 4) || (major === 24 && minor >= 19)
}
