/**
 * The load generator runs in a process of its own (workers/loadgen.js), never
 * in the orchestrator: the orchestrator stays free to answer signals and
 * enforce deadlines, and a load that does not end is killed, not waited for.
 * Optionally in another network namespace (`ip netns exec`), with source
 * addresses that new connections take in turn.
 */
import { fileURLToPath } from 'node:url'
import { ProtocolChannel } from '../ipc/protocol.js'
import { PhaseTimeoutError, RunError } from '../errors.js'
import { spawnTracked } from '../proc/children.js'
import { pin } from '../proc/pinning.js'
import type { CellLoad, LoadPhase } from './side.js'
import type { ClientPlace, LoadProtocol, LoadResult, LoadSpec, LoadTick } from '../types/load.js'
import { LOAD_RESULT } from './resultShape.js'
import { LOAD_HEAP_MB } from '../types/load.js'

const LOADGEN = fileURLToPath(new URL('../../workers/loadgen.js', import.meta.url))

export class LoadProcess implements CellLoad {
  private readonly channel: ProtocolChannel<LoadProtocol>

  private constructor (private readonly place: ClientPlace | undefined, cpus: readonly number[] | null) {
    const node = [process.execPath, `--max-old-space-size=${LOAD_HEAP_MB}`, LOADGEN]
    const [cmd, ...args] = place === undefined ? node : ['ip', 'netns', 'exec', place.netns, ...node]
    const child = spawnTracked(cmd ?? process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
    // `ip netns exec` runs node in its own place (same pid), so the set holds across the exec.
    pin(child.pid, cpus, 'the load generator')
    this.channel = new ProtocolChannel<LoadProtocol>(child, place === undefined ? 'load generator' : `load generator in ${place.netns}`).checkReplies({ load: LOAD_RESULT })
  }

  /** Starts the process, pinned to `cpus` when given; it waits for requests. */
  static start (place?: ClientPlace, cpus: readonly number[] | null = null): LoadProcess {
    return new LoadProcess(place, cpus)
  }

  get pid (): number {
    return this.channel.pid
  }

  pids (): number[] {
    return [this.pid]
  }

  /**
   * Runs one load. Fails with a PhaseTimeoutError (and kills the process) when
   * it has not finished `deadlineMs` after it was asked; on `signal` the process
   * is killed and the load fails at once.
   */
  async run (spec: LoadSpec, phase: LoadPhase, signal?: AbortSignal, onTick?: (t: LoadTick) => void): Promise<LoadResult> {
    return await this.channel.ask('load', { spec, sourceAddresses: this.place?.addresses ?? [] }, {
      timeoutMs: phase.deadlineMs,
      onTimeout: () => new PhaseTimeoutError(phase.name, phase.what, phase.deadlineMs, `the load generator (pid ${this.pid}) did not finish`),
      onAbort: () => new RunError('RB_LOAD_FAILED', 'load stopped before its end'),
      ...(signal === undefined ? {} : { signal }),
      ...(onTick === undefined ? {} : { onEvent: onTick })
    })
  }

  /** Ends the process (it exits when its IPC channel closes; SIGKILL after `graceMs`). */
  close (graceMs = 1000): Promise<void> {
    return this.channel.close(graceMs)
  }
}
