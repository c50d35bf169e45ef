/**
 * A plan run in another network namespace (src/engine/elsewhere.ts starts it): it
 * receives the whole plan, runs it with the same engine as a local run, and
 * streams back the engine's events (each finished cell among them). Its listeners and load
 * generator die with it.
 */
import { serveProtocol } from '../src/ipc/protocol.js'
import { managedChild } from '../src/proc/children.js'
import { runPlan } from '../src/engine/run.js'
import { prepareNamespace } from '../src/proc/netns.js'
import type { ChildRunProtocol } from '../src/types/events.js'

managedChild('run-child')

serveProtocol<ChildRunProtocol>({ run: async (req, emit) => {
  if (req.prepare !== undefined) prepareNamespace(req.prepare.sysctls)
  return await runPlan(req.plan, { onEvent: emit }, req.client === undefined ? {} : { client: req.client }, req.resolved)
} })
