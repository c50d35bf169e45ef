/**
 * A remote side's control stream: typed JSON-line requests on stdin, answers
 * on stdout, through the one request/reply helper (ipc/channel.ts `serve`)
 * over a line wire (ipc/wire.ts). A line that is not JSON, one over the size
 * limit, an unknown or malformed request, or one sent before the previous one
 * was answered gets an error reply (seq 0 when it had none) and is counted;
 * nothing received is run as code (a handler only where the side's own command
 * line names that file). Every side answers hello, clock and status.
 * When stdin closes (the transport dropped) or a signal comes, the side ends
 * what it started and the returned promise resolves: nothing is left running.
 */
import type { Readable, Writable } from 'node:stream'
import { refusalReply, serve } from '../ipc/channel.js'
import type { Refusal } from '../ipc/channel.js'
import { lineWire } from '../ipc/wire.js'
import type { LineFault, Wire } from '../ipc/wire.js'
import { hostFacts } from '../collect/samplers/host.js'
import { toolVersion } from '../version.js'
import type { ClockReply, ControlRole, ControlStatus, Hello } from '../types/remote.js'

/** This host's wall clock with sub-millisecond resolution (Date.now() reads whole ms, too coarse for round trips on one machine). */
export function wallClockMs (): number {
  return performance.timeOrigin + performance.now()
}

/** The longest request line taken (a load spec or a listener spec is well under 4 KiB). */
export const MAX_LINE_BYTES = 64 * 1024

export interface ControlSide<Req extends { op: string }> {
  role: ControlRole
  /** The request, typed, or why it is refused. */
  check: (body: unknown) => Req | string
  /** Answers every request but hello, clock and status. */
  handle: (req: Req, emit: (e: unknown) => void) => Promise<unknown>
  /** Ends whatever the side started (listeners, a load); called once. */
  end: () => Promise<void>
}

export interface ControlIo { input: Readable, output: Writable }

const REFUSAL_KEY: Record<Refusal, keyof ControlStatus['refused']> = { 'not-a-request': 'notRequest', invalid: 'invalid', busy: 'busy' }

/** Serves `side` on stdin/stdout until stdin closes; resolves once the side has ended. */
export function runControl<Req extends { op: string }> (side: ControlSide<Req>, io: ControlIo = { input: process.stdin, output: process.stdout }): Promise<void> {
  const status: ControlStatus = { answered: 0, refused: { malformed: 0, oversized: 0, notRequest: 0, invalid: 0, busy: 0 } }
  let wire: Wire | undefined
  const onFault = (f: LineFault): void => {
    status.refused[f]++
    wire?.send(refusalReply(0, f === 'oversized' ? `a line over ${MAX_LINE_BYTES} bytes was dropped` : 'a line that is not JSON was dropped'))
  }
  wire = lineWire(io.input, io.output, { maxLineBytes: MAX_LINE_BYTES, onFault })
  serve<Req, unknown, unknown>(async (req, emit) => {
    status.answered++
    if (req.op === 'hello') return { role: side.role, version: toolVersion(), pid: process.pid, facts: hostFacts() } satisfies Hello
    if (req.op === 'clock') return { nowMs: wallClockMs() } satisfies ClockReply
    if (req.op === 'status') return status
    return await side.handle(req, emit)
  }, { wire, check: side.check, oneAtATime: true, onRefused: why => { status.refused[REFUSAL_KEY[why]]++ } })
  return new Promise(resolve => {
    let ending = false
    const end = (): void => {
      if (ending) return
      ending = true
      side.end().catch(() => {}).finally(resolve)
    }
    io.input.once('end', end)
    io.input.once('close', end)
    io.output.once('error', end)
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, end)
  })
}
