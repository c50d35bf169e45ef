/**
 * `serve --control stdio`: the server host's side of a run over several
 * hosts. For each cell the orchestrator asks it to start a group of listeners
 * (the same ListenerGroup a local run uses), reset and read their counters,
 * sample the kernel's view around the measured load, and stop them with their
 * final figures. One group at a time; a listener that died is reported on the
 * next request. When its stdin closes, the listeners are killed and it exits.
 */
import { SAMPLERS } from '../collect/samplers/index.js'
import { HarnessError, RunError, UsageError } from '../errors.js'
import { assertLocalAddress, assertPortFree } from './address.js'
import { ListenerGroup } from './group.js'
import { checkServerRequest } from './serverCheck.js'
import { runControl } from '../remote/control.js'
import type { ControlIo } from '../remote/control.js'
import type { ServerRequest, ServerStarted } from '../types/remote.js'

/**
 * Serves the server side on `io` until its input closes. A start request may name a handler only when
 * it is `allowedHandler`, the file this host's own command line gave (`serve --control stdio --handler FILE`).
 */
export async function serverControl (io?: ControlIo, allowedHandler: string | null = null): Promise<void> {
  let group: ListenerGroup | undefined
  let death: HarnessError | undefined
  let endSamples: (() => Promise<Record<string, unknown>>) | undefined

  const serving = (): ListenerGroup => {
    if (death !== undefined) throw death
    if (group === undefined) throw new UsageError('no listeners: send start first', 'RB_CONTROL_REFUSED')
    return group
  }

  const start = async (req: Extract<ServerRequest, { op: 'start' }>): Promise<ServerStarted> => {
    if (group !== undefined) throw new UsageError('listeners are already running: send stop first', 'RB_CONTROL_REFUSED')
    const s = req.listeners
    if (s.handler !== undefined && s.handler !== allowedHandler) {
      throw new UsageError(`start: this host loads ${allowedHandler === null ? 'no handler (its command line gave no --handler)' : `only the handler its command line gave (${allowedHandler})`}, not ${s.handler}`, 'RB_CONTROL_REFUSED')
    }
    assertLocalAddress(s.host)
    assertPortFree(s.host, s.port)
    const t0 = Date.now()
    death = undefined
    group = await ListenerGroup.start({ ...s }, req.withinMs)
    group.onDeath(e => { death ??= e })
    return { workers: group.workers, port: group.port, pids: [...group.pids.values()], readyMs: Date.now() - t0, choice: group.choice }
  }

  const handle = async (req: ServerRequest): Promise<unknown> => {
    switch (req.op) {
      case 'start': return await start(req)
      case 'stats':
      case 'reset': return await serving().request(req.op, req.withinMs)
      case 'sample':
        endSamples = await serving().beginSamples(req.sampleMs, SAMPLERS)
        return {}
      case 'samples': {
        const out = await endSamples?.() ?? {}
        endSamples = undefined
        return out
      }
      case 'stop': {
        const g = group
        group = undefined
        endSamples = undefined
        if (g === undefined) return { snapshots: [], missing: '' }
        return await g.stop(req.withinMs)
      }
      default: throw new RunError('RB_CONTROL_REFUSED', `the server side does not take '${req.op}'`)
    }
  }

  await runControl<ServerRequest>({
    role: 'server',
    check: checkServerRequest,
    handle,
    end: async () => { await group?.kill(500) }
  }, io)
}
