/**
 * Keeps one of Node's next-tick objects alive for the life of this thread, so
 * that `process.nextTick` costs the same in every process we start.
 *
 * Why: `process.nextTick` builds each tick as an object literal with computed
 * keys. V8 keeps feedback for such keys as one weakly held shape or
 * "megamorphic", and never goes back. When a full garbage collection runs
 * while no tick object is alive (a process idle after its start, waiting for
 * its load), the shapes die, and the next tick turns those sites megamorphic
 * for good: every later tick takes V8's runtime path. In an HTTP listener that
 * costs about a fifth more CPU per request, and whether it happens depends on
 * when a collection fell, so it differed from process to process and from run
 * to run (docs/figures.md, "Cluster against the others"; Node 20 and 24 alike).
 * One tick object held keeps the shapes alive, and the feedback stays on them.
 */
import { createHook } from 'node:async_hooks'

let held: object | undefined

/**
 * Holds one tick object of this thread (once; later calls do nothing).
 * Call it first thing in a process or thread, before it waits for anything.
 * Returns whether one is held.
 */
export function holdTickShape (): boolean {
  if (held !== undefined) return true
  // An init hook is the only way to see a tick object; it is on for this one tick only.
  const hook = createHook({
    init (_id: number, type: string, _trigger: number, resource: object) {
      if (type === 'TickObject' && held === undefined) held = resource
    }
  })
  hook.enable()
  try {
    process.nextTick(() => {})
  } finally {
    hook.disable()
  }
  return held !== undefined
}
