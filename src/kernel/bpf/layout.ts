/**
 * The load map's layout, shared by the program that reads it (programs.ts)
 * and the listeners that write it (loadSlot.ts): one array element of
 * (groupSize + 1) slots of four u32 words. Slot i belongs to the socket at
 * index i of the REUSEPORT_SOCKARRAY; the last slot is the program's own.
 */

/** Bytes per slot. */
export const SLOT_BYTES = 16

/** Words of listener i's slot (u32 index within the slot). */
export const WORD = {
  /** New connections the program sent to socket i (the program adds, atomically). */
  assigned: 0,
  /** Of those, how many listener i has taken from its queue (the listener writes). */
  accepted: 1,
  /** Connections listener i holds open (the listener writes). */
  open: 2,
  /** The pid of the process that owns the slot now: a replacement takes it over, the old one then stops writing. */
  owner: 3
} as const

/** Words of the last slot, the program's. */
export const TOTAL = {
  /** Times the program ran (one per new connection the group was asked to place). */
  runs: 0,
  /** Times the chosen socket could not be selected (empty slot, socket gone): the kernel's hash placed it. */
  fallbacks: 1
} as const

/** The load map's value size for a group of `n`. */
export function loadBytes (n: number): number {
  return (n + 1) * SLOT_BYTES
}

/** BPF map and program types and the flags used (include/uapi/linux/bpf.h). */
export const BPF = {
  mapArray: 2,
  mapReuseportSockarray: 20,
  progSkReuseport: 21,
  /** BPF_F_MMAPABLE (Linux 5.5+): the array's values can be mmap'd. */
  fMmapable: 1 << 10,
  /** bpf_sk_select_reuseport(ctx, map, key, flags). */
  helperSkSelectReuseport: 82,
  /** Offset of `hash` in struct sk_reuseport_md. */
  mdHash: 32,
  /** The program's verdict: pass (with or without a selection; none selected means the kernel's hash). */
  skPass: 1
} as const
