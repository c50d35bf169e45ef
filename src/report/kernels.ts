/**
 * What changed between kernels, on one page (npm run test:kernels writes it): the same probe and runs on
 * each kernel, set side by side row by row. A row's categorical outcome (found or not, ran or refused, the
 * accounting, the verdict against random hashing, the scenario's outcome) decides whether the kernels
 * differ; rows that differ come first, each with the kernel change that explains it where one is known.
 * Throughput is shown last and never compared: every kernel here ran under software emulation.
 */
import type { KernelFeature } from '../types/features.js'
import type { ResultDoc } from '../types/docs.js'
import type { ProbeDoc } from '../types/probe.js'
import type { ModeRun } from '../types/run.js'
import { num } from './format.js'

/** One kernel's documents: its probe and the result of each run phase (undefined where the phase wrote none). */
export interface KernelSide {
  name: string
  release: string
  package: string
  probe?: ProbeDoc
  results: Record<string, ResultDoc | undefined>
}

/** A cell of the page: what is shown, and the category that is compared across kernels. */
export interface KernelValue { text: string, key: string }
export interface KernelRow { section: string, what: string, values: KernelValue[], differs: boolean, why?: string }

/** The kernel changes behind rows that differ, by what decides the row. */
export const KERNEL_CHANGES: Readonly<Record<string, string>> = {
  tcp_migrate_req: 'net.ipv4.tcp_migrate_req arrived in Linux 5.14 ("tcp: Migrate TCP_ESTABLISHED/TCP_SYN_RECV sockets in accept queues", Kuniyuki Iwashima, 2021)',
  'incoming-cpu-selection': 'Linux 6.2: "soreuseport: Fix socket selection for SO_INCOMING_CPU" (Kuniyuki Iwashima, 2022), also carried by some stable kernels as a backport; without it, from 4.6 on, the group\'s hash ignored SO_INCOMING_CPU',
  'ebpf-reuseport': 'SK_REUSEPORT programs and REUSEPORT_SOCKARRAY maps arrived in Linux 4.19; BPF_F_MMAPABLE arrays, which the listeners write their load into, in 5.5',
  'reuseport-bpf-detach': 'SO_DETACH_REUSEPORT_BPF arrived in Linux 5.8',
  'epoll-exclusive': 'EPOLLEXCLUSIVE arrived in Linux 4.5',
  'udp-hash4': 'Linux 6.13: "ipv4/udp: Add 4-tuple hash for connected socket" (Philo Lu, netdev, November 2024): before it, a datagram to a port whose group holds connected sockets is matched by scoring every socket in its slot',
  wakeup: 'upstream 3864c6b, "tcp: fix listener wakeup after reuseport migration" (2026, with stable backports): before it, a connection moved from a closing listener did not wake the new listener\'s epoll or accept() waiters'
}

const v = (text: string, key = text): KernelValue => ({ text, key })
const NONE = v('-', 'absent')

function row (section: string, what: string, values: KernelValue[], why?: string): KernelRow {
  const differs = new Set(values.map(x => x.key)).size > 1
  return { section, what, values, differs, ...(differs && why !== undefined ? { why } : {}) }
}

function featureRows (sides: readonly KernelSide[]): KernelRow[] {
  const featuresOf = (s: KernelSide): KernelFeature[] => s.probe?.host.kernelFeatures ?? Object.values(s.results).find(r => r !== undefined)?.host.kernelFeatures ?? []
  // Each feature once, by id, as the first kernel that recorded it names it.
  const named = new Map<string, string>()
  for (const f of sides.flatMap(featuresOf)) if (!named.has(f.id)) named.set(f.id, f.what)
  return [...named].map(([id, what]) => {
    const values = sides.map(s => {
      const f = featuresOf(s).find(x => x.id === id)
      return f === undefined ? NONE : v(f.found === true ? 'found' : f.found === false ? `missing: ${f.detail}` : `undecided: ${f.detail}`, String(f.found))
    })
    return row('kernel features (tried at run time)', what, values, KERNEL_CHANGES[id])
  })
}

function matrixRows (sides: readonly KernelSide[]): KernelRow[] {
  const keyOf = (c: ProbeDoc['cells'][number]): string => `${c.group}: ${c.experiment} ${c.addrA} / ${c.addrB}, SO_REUSEADDR=${c.reuseaddr} SO_REUSEPORT=${c.reuseport}`
  const keys = [...new Set(sides.flatMap(s => (s.probe?.cells ?? []).map(keyOf)))]
  return keys.map(k => row('bind/listen matrix', k, sides.map(s => {
    const c = s.probe?.cells.find(x => keyOf(x) === k)
    return c === undefined ? NONE : v(`${c.outcome}${c.matches === false ? ` (expected ${String(c.expected)})` : ''}`, c.outcome)
  })))
}

/** A phase's cell for one (mode, variant): one whose figures stand where there is one (under emulation a cold first slice may get no answer), or undefined. */
function runOf (r: ResultDoc | undefined, mode: string, variant?: string): ModeRun | undefined {
  const mine = r?.runs.filter(x => x.mode === mode && x.variant === variant) ?? []
  return mine.find(x => x.invalid === undefined) ?? mine[0]
}
const notRunOf = (r: ResultDoc | undefined, mode: string): string | undefined => r?.skipped?.find(s => s.what === `mode ${mode}`)?.reason

/**
 * Whether a cell's accounting closes as the harness explains it: the listeners' accepts equal the client's
 * connections (or, with --churn, differ by no more than the connections open at the stop: one opened or
 * dropped in the last instant each), and the requests differ by no more than were in flight; a UDP cell's
 * accounting says so itself (analyse/datagramAccounting.ts).
 */
export function accountingCloses (run: Pick<ModeRun, 'accounting' | 'load'>): boolean {
  const a = run.accounting
  if (a.datagrams !== undefined) return a.explained
  const accepts = a.acceptsMatch || (run.load.churn > 0 && Math.abs(a.listenerAccepts - a.clientConnections) <= run.load.connections)
  return accepts && a.explained
}

function modeValue (r: ResultDoc | undefined, mode: string): KernelValue {
  if (r === undefined) return v('no result', 'no result')
  const run = runOf(r, mode)
  if (run === undefined) {
    const why = notRunOf(r, mode)
    return why === undefined ? v('missing', 'missing') : v(`not run: ${why}`, 'not run')
  }
  if (run.invalid !== undefined) return v(`every cell invalid: ${run.invalid.reason}`, 'invalid')
  const acc = accountingCloses(run) ? 'accounting closes' : `ACCOUNTING OPEN (${run.accounting.note})`
  const cls = run.placement?.classification ?? 'not applicable'
  // The verdict against random hashing is shown, not compared: each is a test at the 5% level on a few
  // connections, so across every mode and kernel some would differ by chance alone.
  return v(`${acc}; Jain ${num(run.fairness.jain, 3)}, ${cls}`, acc === 'accounting closes' ? 'ran, closes' : 'ran, open')
}

function modeRows (sides: readonly KernelSide[], phase: string): KernelRow[] {
  const modes = [...new Set(sides.flatMap(s => s.results[phase]?.plan.modes ?? []))]
  return modes.map(m => row(`every mode (${phase})`, m, sides.map(s => modeValue(s.results[phase], m)), m === 'incoming-cpu' ? KERNEL_CHANGES['incoming-cpu-selection'] : undefined))
}

/** `compareErrors`: whether having client errors at all is the outcome (with tcp_migrate_req=1 there should be none); without it, how many reset is chance. */
function restartValue (run: ModeRun | undefined, why: string | undefined, compareErrors: boolean): KernelValue {
  const r = run?.scenario.restart
  if (r === undefined) return why === undefined ? NONE : v(`not run: ${why}`, 'not run')
  const errs = r.errorsInWindow
  const text = `${errs} client errors in the restart window${errs > 0 ? ` (${Object.entries(r.errorCodes).map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`
  return v(text, compareErrors ? (errs > 0 ? 'errors' : 'no errors') : 'ran')
}

function scenarioRows (sides: readonly KernelSide[]): KernelRow[] {
  const out: KernelRow[] = []
  for (const mode of ['reuseport', 'shared']) {
    out.push(row('scenarios', `stall, ${mode}: the stalled listener's share of new connections during its stalls`, sides.map(s => {
      const run = runOf(s.results['stall'], mode)
      const share = run?.scenario.stallShare
      return run === undefined ? NONE : share === undefined ? v('ran (one shared queue: no share)', 'ran') : v(`${num(share.share * 100, 1)}% of ${share.opened}`, 'ran')
    })))
    out.push(row('scenarios', `restart, ${mode}`, sides.map(s => restartValue(runOf(s.results['restart'], mode), undefined, false))))
  }
  out.push(row('scenarios', 'restart, reuseport, tcp_migrate_req=1 (own netns)', sides.map(s => {
    const r = s.results['restart']
    return restartValue(r?.runs.find(x => x.mode === 'reuseport' && x.variant !== undefined), r?.skipped?.find(k => k.what.includes('tcp_migrate_req'))?.reason, true)
  }), KERNEL_CHANGES['tcp_migrate_req']))
  out.push(row('scenarios', 'incoming-cpu: where connections went', sides.map(s => {
    const r = s.results['incoming-cpu']
    const run = runOf(r, 'incoming-cpu')
    const why = notRunOf(r, 'incoming-cpu')
    if (run === undefined) return why === undefined ? NONE : v(`not run: ${why}`, 'not run')
    return v(`accepts ${run.listeners.map(l => l.accepts).join(' / ')}`, 'ran')
  }), KERNEL_CHANGES['incoming-cpu-selection']))
  out.push(row('scenarios', '--steer least-loaded under a stall', sides.map(s => {
    const r = s.results['steer']
    const run = r?.runs.find(x => x.scenario.steer !== undefined)
    if (run === undefined) return r?.skipped?.[0] === undefined ? NONE : v(`not run: ${r.skipped[0].reason}`, 'not run')
    const share = run.scenario.stallShare
    return v(`steered${share === undefined ? '' : `; the stalled listener took ${num(share.share * 100, 1)}% during its stalls`}; detached: ${run.scenario.steer?.detached ?? '?'}`, 'ran')
  }), KERNEL_CHANGES['ebpf-reuseport']))
  return out
}

function wakeupRows (sides: readonly KernelSide[]): KernelRow[] {
  return (['epoll', 'blocking-accept'] as const).map(w => row('migration wakeup (tcp_migrate_req=1)', `waiting in ${w === 'epoll' ? 'epoll (libuv)' : 'a blocking accept()'}`, sides.map(s => {
    const m = s.probe?.migrationWakeup
    if (m === undefined) {
      const why = s.probe?.skipped.find(k => k.rows === 'migration wakeup')?.reason
      return why === undefined ? NONE : v(`not run: ${why}`, 'not run')
    }
    const tries = m.tries.filter(t => t.waiter === w)
    const o = m.outcomes.find(x => x.waiter === w)?.outcome ?? 'none'
    return v(`${o}: ${tries.reduce((a, t) => a + t.promptly, 0)} prompt, ${tries.reduce((a, t) => a + t.afterNext, 0)} after the next connection, of ${tries.reduce((a, t) => a + t.connections, 0)}`, o)
  }), KERNEL_CHANGES['wakeup']))
}

/**
 * The udp-hash4 phase: datagrams/s of the group that connects a socket to each of 500 flows over the one that
 * does not, paired round by round in one guest. Compared by its finding; under emulation the ratio is the
 * emulator's as much as the kernel's, so only a finding that changes between kernels says something.
 */
function hash4Row (sides: readonly KernelSide[]): KernelRow {
  return row('UDP', '500 connected sockets in a group against none (reuseport#2 / reuseport, datagrams/s)', sides.map(s => {
    const r = s.results['udp-hash4']
    const p = r?.paired?.find(x => x.mode === 'reuseport#2' && x.against === 'reuseport')
    if (p === undefined) return r === undefined ? NONE : v(`no pair: ${r.skipped?.[0]?.reason ?? 'too few rounds kept'}`, 'no pair')
    const t = p.throughput
    const interval = t.lo === null || t.hi === null ? '' : ` [${num(t.lo, 3)}, ${num(t.hi, 3)}]`
    const text = `${num(t.ratio, 3)}x${interval} over ${t.pairs.length} pairs: ${t.finding}`
    // Every round changed within it: shown, and compared as that, never as a finding.
    return p.hostUnstable === true ? v(`${text} (host unstable in every round: not comparable)`, 'host unstable') : v(text, t.finding)
  }), KERNEL_CHANGES['udp-hash4'])
}

function throughputRows (sides: readonly KernelSide[]): KernelRow[] {
  const modes = [...new Set(sides.flatMap(s => s.results['modes']?.runs.map(r => r.mode) ?? []))]
  return modes.map(m => ({ section: 'throughput: NOT COMPARABLE (software emulation measures the emulator)', what: m, differs: false, values: sides.map(s => { const r = runOf(s.results['modes'], m); return r === undefined ? NONE : v(`${num(r.client.rps, 0)} req/s`, 'n/a') }) }))
}

/** Every row, those where the kernels differ first (in section order), then the rest, then throughput. */
export function kernelRows (sides: readonly KernelSide[]): KernelRow[] {
  const rows = [...featureRows(sides), ...wakeupRows(sides), ...scenarioRows(sides), ...modeRows(sides, 'modes'), ...modeRows(sides, 'udp'), hash4Row(sides), ...matrixRows(sides)]
  return [...rows.filter(r => r.differs), ...rows.filter(r => !r.differs), ...throughputRows(sides)]
}
