/**
 * A listener's side of the load map: the slot it owns, written on the events
 * that change its load (a connection taken from the queue, one closed) and
 * resynced from the kernel's own count of its accept queue every RESYNC_MS,
 * which also corrects for connections the program did not place (the kernel's
 * fallback) or that never reached the queue. Every write is a store into
 * memory the program reads (an mmap'd BPF_F_MMAPABLE array): no syscall on
 * the hot path. A replacement takes the slot over by writing its pid as the
 * owner; the listener it replaces stops writing when it sees that.
 */
import { SLOT_BYTES, TOTAL, WORD } from '../../kernel/bpf/layout.js'
import type { SteeringSlot } from '../../types/native.js'

/** How often a listener rewrites its slot from its accept queue. */
export const RESYNC_MS = 50

const WORDS = SLOT_BYTES / 4

export class LoadSlot {
  private readonly words: Uint32Array
  private readonly base: number
  updates = 0
  resyncs = 0

  /** `memory`: the map's values; `index`: this listener's slot; `pid`: this process (the slot's owner from now on). */
  constructor (memory: ArrayBuffer, private readonly groupSize: number, index: number, private readonly pid: number) {
    this.words = new Uint32Array(memory, 0, (groupSize + 1) * WORDS)
    this.base = index * WORDS
  }

  /** Takes the slot over: nothing queued, nothing open (the connections of the listener it replaces are that one's). */
  claim (queued: number): void {
    const w = this.words
    w[this.base + WORD.owner] = this.pid
    w[this.base + WORD.accepted] = ((w[this.base + WORD.assigned] ?? 0) - queued) >>> 0
    w[this.base + WORD.open] = 0
    this.updates++
  }

  /** Whether this process still owns the slot. */
  private owned (): boolean {
    return this.words[this.base + WORD.owner] === this.pid
  }

  /** A connection taken from the queue: one fewer waiting, one more open. */
  accepted (): void {
    if (!this.owned()) return
    const w = this.words
    w[this.base + WORD.accepted] = ((w[this.base + WORD.accepted] ?? 0) + 1) >>> 0
    w[this.base + WORD.open] = (w[this.base + WORD.open] ?? 0) + 1
    this.updates++
  }

  /** A connection closed. */
  closed (): void {
    if (!this.owned()) return
    const w = this.words
    const open = w[this.base + WORD.open] ?? 0
    w[this.base + WORD.open] = open > 0 ? open - 1 : 0
    this.updates++
  }

  /** The kernel says `queued` connections wait: what the program placed here and is not waiting has been taken. */
  resync (queued: number): void {
    if (!this.owned()) return
    const w = this.words
    w[this.base + WORD.accepted] = ((w[this.base + WORD.assigned] ?? 0) - queued) >>> 0
    this.updates++
    this.resyncs++
  }

  /** Starts counting writes again (the measured load starts); the map itself is not touched. */
  resetCounts (): void {
    this.updates = 0
    this.resyncs = 0
  }

  /** Every socket's slot, and the program's own counts. */
  read (): { slots: SteeringSlot[], runs: number, fallbacks: number } {
    const w = this.words
    const at = (slot: number, word: number): number => w[slot * WORDS + word] ?? 0
    const slots = [...Array(this.groupSize).keys()].map(i => ({ assigned: at(i, WORD.assigned), accepted: at(i, WORD.accepted), open: at(i, WORD.open) }))
    return { slots, runs: at(this.groupSize, TOTAL.runs), fallbacks: at(this.groupSize, TOTAL.fallbacks) }
  }
}
