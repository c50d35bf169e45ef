/**
 * A cell's listeners on a server host (`run --server-via`): the same group a
 * local run starts, started and asked there by its control side
 * (topology/serverSide.ts), with the kernel's view sampled there too. The host
 * lost while they are in use is their death.
 */
import { RunError } from '../errors.js'
import type { HarnessError } from '../errors.js'
import type { RemoteHost } from '../remote/host.js'
import type { ListenerSnapshot, StopResult } from '../types/listener.js'
import type { RemoteListenerSpec, ServerStarted } from '../types/remote.js'
import type { ReuseChoice } from '../types/run.js'
import type { CellListeners } from './side.js'

export class RemoteListeners implements CellListeners {
  readonly retired: ListenerSnapshot[] = []
  private readonly deaths: Array<(e: HarnessError) => void> = []
  private readonly unwatch: () => void
  private stopped = false

  private constructor (private readonly host: RemoteHost, private readonly started: ServerStarted) {
    this.unwatch = host.onLost(e => { if (!this.stopped) for (const d of this.deaths) d(e) })
  }

  /** Starts the listeners on `host`; resolves once every one listens there. */
  static async start (host: RemoteHost, spec: RemoteListenerSpec, timeoutMs: number, signal?: AbortSignal): Promise<RemoteListeners> {
    const started = await host.ask('start', { listeners: spec, withinMs: timeoutMs }, { timeoutMs: timeoutMs + 2000, phase: 'start', ...(signal === undefined ? {} : { signal }) })
    return new RemoteListeners(host, started)
  }

  get workers (): number { return this.started.workers }
  get port (): number { return this.started.port }
  get choice (): ReuseChoice { return this.started.choice }

  async request (op: 'stats' | 'reset', timeoutMs: number, phase: string = op): Promise<ListenerSnapshot[]> {
    return await this.host.ask(op, { withinMs: timeoutMs }, { timeoutMs: timeoutMs + 2000, phase })
  }

  async stop (graceMs: number): Promise<StopResult> {
    this.stopped = true
    this.unwatch()
    return await this.host.ask('stop', { withinMs: graceMs }, { timeoutMs: graceMs + 3000, phase: 'stop' })
  }

  /** Asks the host to end them; a host already gone has ended them itself (its control side kills them when its stdin closes). */
  async kill (graceMs = 500): Promise<void> {
    if (this.stopped) return
    try {
      await this.stop(graceMs)
    } catch {}
  }

  onDeath (cb: (e: HarnessError) => void): void {
    this.deaths.push(cb)
  }

  restart (): Promise<{ drainMs: number }> {
    return Promise.reject(new RunError('RB_UNSUPPORTED', 'a rolling restart is not run on a server host'))
  }

  async beginSamples (sampleMs: number): Promise<() => Promise<Record<string, unknown>>> {
    await this.host.ask('sample', { sampleMs }, { timeoutMs: 5000, phase: 'sample' })
    return async () => await this.host.ask('samples', {}, { timeoutMs: 5000, phase: 'samples' })
  }
}
