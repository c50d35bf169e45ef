/**
 * A plan run in another network namespace (src/elsewhere.ts starts it): it
 * receives the whole plan, runs it with the same engine as a local run, and
 * sends back progress lines and each finished cell. Its listeners and load
 * generator die with it.
 */
import { serve } from '../src/ipc/channel.js'
import { managedChild } from '../src/proc/children.js'
import { runPlan } from '../src/engine/run.js'
import { prepareNamespace } from '../src/topology/netns.js'
import type { ChildRunEvent, ChildRunRequest, ModeRun } from '../src/types/run.js'

managedChild('run-child')

serve<ChildRunRequest, ChildRunEvent, ModeRun[]>(async (req, emit) => {
  if (req.prepare !== undefined) prepareNamespace(req.prepare.sysctls)
  return await runPlan(req.plan, {
    progress: (line, transient = false) => emit({ progress: line, transient }),
    onRun: cell => emit({ cell })
  }, req.client === undefined ? {} : { client: req.client })
})
